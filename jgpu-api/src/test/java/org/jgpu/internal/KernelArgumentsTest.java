package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.Access;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.KernelArgumentException;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.ParamType;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.PtxEntries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KernelArgumentsTest {
    private CoreContext ctx;

    @BeforeEach
    void open() {
        ctx = (CoreContext) Context.create(ContextOptions.builder().backend("host").build());
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    @Test
    void aU64ReadFromPtxTakesABufferOrALongBecausePtxDoesNotTellThemApart() {
        KernelSignature ptx = PtxEntries.parse(".visible .entry k(.param .u64 k_param_0)\n{\nret;\n}").get(0);
        try (DeviceBuffer d = ctx.allocDevice(16, "d")) {
            Object pointer = KernelArguments.prepare(ctx.scope(), ptx, new Object[] {d}).args()[0];
            assertInstanceOf(DevicePointer.class, pointer);
            assertEquals(1, KernelArguments.prepare(ctx.scope(), ptx, new Object[] {d}).touches().length, "a buffer is tracked");
            assertEquals(7L, KernelArguments.prepare(ctx.scope(), ptx, new Object[] {7L}).args()[0]);
            KernelArgumentException e = assertThrows(KernelArgumentException.class,
                    () -> KernelArguments.prepare(ctx.scope(), ptx, new Object[] {7}));
            assertTrue(e.getMessage().contains("long or DeviceBuffer") && e.getMessage().contains("7L"), e.getMessage());
        }
    }

    @Test
    void aLongDeclaredAsAScalarTakesOnlyANumber() {
        KernelSignature declared = KernelSignature.of("count", KernelParam.pointer("out", Access.WRITE),
                KernelParam.scalar("n", ParamType.B64));
        try (DeviceBuffer d = ctx.allocDevice(16, "d")) {
            assertEquals(9L, KernelArguments.prepare(ctx.scope(), declared, new Object[] {d, 9L}).args()[1]);
            KernelArgumentException e = assertThrows(KernelArgumentException.class,
                    () -> KernelArguments.prepare(ctx.scope(), declared, new Object[] {d, d}));
            assertEquals(1, e.parameterIndex());
            assertTrue(e.getMessage().contains("kernel 'count' parameter 1 ('n', b64) expects long, got DeviceBuffer ('d')"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("not a pointer"), e.getMessage());
        }
    }
}
