package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.Access;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.GpuException;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.ParamType;
import org.junit.jupiter.api.Test;

/** The core reads a module's entries and resolves kernel signatures before any backend sees them. */
class CoreModuleTest {
    private static final String PTX = ".version 7.0\n.target sm_75\n.address_size 64\n"
            + ".visible .entry no_twin(\n.param .u64 p0,\n.param .f32 p1\n)\n{\nret;\n}\n";

    private static Context host() {
        return Context.create(ContextOptions.builder().backend("host").build());
    }

    @Test
    void aBundledModuleListsTheContracts() {
        try (Context ctx = host(); KernelModule m = ctx.loadModule(ModuleSource.bundled())) {
            assertEquals(BundledKernels.contracts(), m.kernels());
        }
    }

    @Test
    void aPtxModuleListsItsEntriesAndRefusesOtherNames() {
        try (Context ctx = host(); KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX))) {
            assertEquals(1, m.kernels().size());
            assertEquals(ParamType.B64, m.kernels().get(0).params().get(0).type());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.kernel("other"));
            assertTrue(e.getMessage().contains("has no kernel 'other'") && e.getMessage().contains("[no_twin]"),
                    e.getMessage());
        }
    }

    @Test
    void aDeclarationThatDisagreesWithThePtxIsRefusedBeforeTheBackendLooksForTheKernel() {
        // the host backend would refuse no_twin for lacking a twin: the core's check comes first
        try (Context ctx = host(); KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX))) {
            KernelSignature wrong = KernelSignature.of("no_twin", KernelParam.pointer("x", Access.READ),
                    KernelParam.scalar("f", ParamType.F64));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.kernel("no_twin", wrong));
            assertTrue(e.getMessage().contains("declared as") && e.getMessage().contains("the PTX declares")
                    && e.getMessage().contains("f64 f") && e.getMessage().contains("f32 p1"), e.getMessage());
        }
    }

    @Test
    void aBundledKernelMayBeDeclaredWithPointersAsSixtyFourBitWordsAsThePtxStatesThem() {
        try (Context ctx = host(); KernelModule m = ctx.loadModule(ModuleSource.bundled())) {
            KernelSignature asPtx = KernelSignature.of(BundledKernels.SCALE, KernelParam.scalar("x", ParamType.B64),
                    KernelParam.scalar("factor", ParamType.F32), KernelParam.scalar("n", ParamType.B32));
            assertEquals(asPtx, m.kernel(BundledKernels.SCALE, asPtx).signature());
            KernelSignature wrong = KernelSignature.of(BundledKernels.SCALE, KernelParam.pointer("x", Access.READ_WRITE),
                    KernelParam.scalar("factor", ParamType.F64), KernelParam.scalar("n", ParamType.B32));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.kernel(BundledKernels.SCALE, wrong));
            assertTrue(e.getMessage().contains("b64 x, f32 factor"), e.getMessage());
        }
    }

    @Test
    void ptxWithAParameterJgpuCannotPassFailsToLoadNamingTheSource() {
        try (Context ctx = host()) {
            GpuException e = assertThrows(GpuException.class, () -> ctx.loadModule(
                    ModuleSource.ptx(".entry k(.param .align 8 .b8 k_param_0[24])\n{\n}")));
            assertTrue(e.getMessage().startsWith("cannot load PTX string: entry k"), e.getMessage());
        }
    }
}
