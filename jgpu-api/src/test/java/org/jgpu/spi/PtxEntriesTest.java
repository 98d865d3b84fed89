package org.jgpu.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgpu.Access;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.ParamType;
import org.junit.jupiter.api.Test;

class PtxEntriesTest {
    private static final String PTX = String.join("\n",
            ".version 9.0", ".target sm_75", ".address_size 64",
            "// .globl saxpy",
            ".visible .entry saxpy(",
            "\t.param .f32 saxpy_param_0,",
            "\t.param .u64 .ptr .global .align 4 saxpy_param_1,",
            "\t.param .u64 saxpy_param_2,",
            "\t.param .u32 saxpy_param_3",
            ")", "{", "ret;", "}",
            "/* .entry commented_out( .param .u32 x ) */",
            ".visible .entry noargs()", "{", "ret;", "}",
            ".entry wide(.param .f64 a, .param .s64 b, .param .u16 c, .param .b8 d)", "{", "}");

    @Test
    void readsEntryNamesAndParameterTypesInOrder() {
        List<KernelSignature> entries = PtxEntries.parse(PTX);
        assertEquals(List.of("saxpy", "noargs", "wide"), entries.stream().map(KernelSignature::name).toList());
        KernelSignature saxpy = entries.get(0);
        assertEquals(List.of(ParamType.F32, ParamType.B64, ParamType.B64, ParamType.B32),
                saxpy.params().stream().map(p -> p.type()).toList());
        assertEquals("saxpy_param_1", saxpy.params().get(1).name());
        assertTrue(entries.get(1).params().isEmpty());
        assertEquals(List.of(ParamType.F64, ParamType.B64, ParamType.B16, ParamType.B8),
                entries.get(2).params().stream().map(p -> p.type()).toList());
    }

    @Test
    void rejectsAggregateParametersNamingEntryAndParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PtxEntries.parse(".entry k(.param .align 4 .b8 k_param_0[16])\n{\n}"));
        assertTrue(e.getMessage().contains("entry k") && e.getMessage().contains("k_param_0"), e.getMessage());
    }

    @Test
    void erasingADeclarationTurnsPointersIntoSixtyFourBitWordsAndKeepsTheRest() {
        KernelSignature declared = KernelSignature.of("k", KernelParam.pointer("x", Access.READ),
                KernelParam.scalar("n", ParamType.B32));
        KernelSignature erased = PtxEntries.erase(declared);
        assertEquals(List.of(ParamType.B64, ParamType.B32), erased.params().stream().map(p -> p.type()).toList());
        assertEquals("x", erased.params().get(0).name());
        assertTrue(declared.matchesPtx(erased));
    }
}
