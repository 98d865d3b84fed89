package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.jgpu.Arg;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostAllocOption;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelArgumentException;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A buffer passed where a kernel's contract declares a 64-bit number, and a number passed where
 * it declares a pointer, are rejected at launch with a {@link KernelArgumentException}: never
 * taken as an address (a kernel told to spin for "address" nanoseconds) nor left to fail in the
 * backend.
 */
class ArgumentKindConformanceTest {

    private static KernelArgumentException rejected(Context ctx, Executable launch, String kernel, int index,
            String... mentions) {
        KernelArgumentException e = assertThrows(KernelArgumentException.class, launch);
        assertEquals(kernel, e.kernel());
        assertEquals(index, e.parameterIndex());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
        }
        // nothing was enqueued and the context is still usable
        ctx.synchronize();
        try (DeviceBuffer d = ctx.allocDevice(16)) {
            ctx.defaultStream().fill(d, 0);
            ctx.synchronize();
        }
        return e;
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aBufferForADeclaredLongIsRejectedNamingTheKernelTheParameterAndBothTypes(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream();
                DeviceBuffer d = ctx.allocDevice(64, "d");
                HostBuffer mapped = ctx.allocHost(64, EnumSet.of(HostAllocOption.MAPPED))) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            Kernel spin = m.kernel(BundledKernels.SPIN);
            LaunchConfig one = LaunchConfig.forElements(1);
            rejected(ctx, () -> s.launch(spin, one, d), "spin", 0,
                    "'spin'", "parameter 0", "'ns'", "long", "DeviceBuffer", "'d'", "not a pointer");
            rejected(ctx, () -> s.launch(spin, one, Arg.in(d)), "spin", 0, "'ns'", "DeviceBuffer", "'d'");
            rejected(ctx, () -> s.launch(spin, one, mapped), "spin", 0, "'ns'", "HostBuffer", "not a pointer");

            Kernel progress = m.kernel(BundledKernels.PROGRESS_LOOP);
            try (DeviceBuffer counter = ctx.allocDevice(8, "progress"); DeviceBuffer cancel = ctx.allocDevice(4, "cancel")) {
                rejected(ctx, () -> s.launch(progress, one, counter, cancel, d, 10L), "progress_loop", 2,
                        "'progress_loop'", "parameter 2", "'steps'", "long", "'d'");
                rejected(ctx, () -> s.launch(progress, one, counter, cancel, 10L, d), "progress_loop", 3,
                        "'nsPerStep'", "long", "'d'");
                // the reverse: a number where the contract declares a pointer
                rejected(ctx, () -> s.launch(progress, one, 5L, cancel, 10L, 1L), "progress_loop", 0,
                        "'progress'", "DeviceBuffer", "Long");
                // the same kernels still launch with the right kinds
                s.fill(cancel, 0);
                s.launch(progress, one, counter, cancel, 3L, 1L);
                s.launch(spin, one, 1_000L);
                s.synchronize();
                byte[] steps = new byte[8];
                s.copy(counter, steps);
                assertEquals(3L, java.nio.ByteBuffer.wrap(steps).order(java.nio.ByteOrder.nativeOrder()).getLong());
            }
        }
    }
}
