package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.Access;
import org.jgpu.Arg;
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
    void aBufferArgumentIsHandedOnItselfAndAnArgIsUnwrappedIntoAnArrayOfItsOwn() {
        KernelSignature sig = KernelSignature.of("k", KernelParam.pointer("x", Access.READ),
                KernelParam.scalar("n", ParamType.B32));
        try (DeviceBuffer d = ctx.allocDevice(16, "d")) {
            Object[] given = {d, 4};
            Object[] args = KernelArguments.prepare(ctx.scope(), sig, given).args();
            assertSame(given, args, "nothing to unwrap: the caller's array is handed on");
            assertSame(d, args[0], "the buffer is its own device pointer");
            Object[] wrapped = {Arg.in(d), 4};
            Object[] unwrapped = KernelArguments.prepare(ctx.scope(), sig, wrapped).args();
            assertNotSame(wrapped, unwrapped);
            assertSame(d, unwrapped[0]);
            assertSame(wrapped[1], unwrapped[1]);
            assertInstanceOf(Arg.class, wrapped[0], "the caller's array is left as it was");
        }
    }

    @Test
    void aLaunchRunsWithTheArgumentsItWasGivenEvenIfTheArrayChangesAfterwards() {
        try (DeviceBuffer x = ctx.allocDevice(16, "x"); org.jgpu.HostBuffer h = ctx.allocHost(16);
                org.jgpu.Stream s = ctx.createStream()) {
            org.jgpu.Kernel scale = ctx.loadModule(org.jgpu.ModuleSource.bundled()).kernel(org.jgpu.BundledKernels.SCALE);
            Object[] args = {x, 2.0f, 4};
            // a captured launch runs only at the replay, well after the call returned
            try (org.jgpu.Graph g = s.capture(() -> s.launch(scale, org.jgpu.LaunchConfig.forElements(4), args))) {
                args[1] = 100.0f;
                s.fill(x, 1.0f);
                s.launch(g);
                s.copy(x, h);
                s.synchronize();
            }
            assertEquals(2.0f, h.getFloat(3), "the launch ran with the array as it was changed after the call");
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
