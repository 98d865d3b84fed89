package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Dim3;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelTwin;
import org.jgpu.sim.KernelTwins;
import org.jgpu.trace.Engine;
import org.junit.jupiter.api.Test;

/** The Java twin of the bundled {@code accumulate} kernel: acc[i] += x[i] for i below n, memory-bound. */
class SimAccumulateTwinTest {

    @Test
    void itAddsTheFirstNElementsWhateverTheLaunchConfig() {
        EngineModel model = EngineModel.builder().deviceBytesPerSecond(1e9).launchNanos(0).build();
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").configure(model).build())) {
            Kernel accumulate = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.ACCUMULATE);
            Stream s = ctx.createStream();
            int size = 1000;
            int n = 997;
            float[] acc = new float[size];
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                acc[i] = i;
                x[i] = 0.5f - 2 * i;
            }
            DeviceBuffer a = ctx.allocUpload(acc, s);
            DeviceBuffer b = ctx.allocUpload(x, s);
            long before = SimPeerCopyTest.device(ctx).engineBusyNanos(Engine.COMPUTE);
            // one thread of one block: the kernel strides over the grid, so it still covers all n
            s.launch(accumulate, LaunchConfig.of(new Dim3(1, 1, 1), new Dim3(1, 1, 1)), a, b, n);
            float[] out = new float[size];
            s.copy(a, out);
            float[] want = acc.clone();
            for (int i = 0; i < n; i++) {
                want[i] = acc[i] + x[i];
            }
            assertArrayEquals(want, out);
            long busy = SimPeerCopyTest.device(ctx).engineBusyNanos(Engine.COMPUTE) - before;
            assertTrue(busy >= 12L * n, "compute busy " + busy + " ns, less than 12 bytes per element at 1 GB/s");
        }
    }

    @Test
    void itIsModelledAsTwelveBytesPerElementAtDeviceBandwidth() {
        KernelTwin twin = KernelTwins.find(BundledKernels.ACCUMULATE);
        EngineModel model = EngineModel.builder().deviceBytesPerSecond(2e9).build();
        assertEquals(6_000, twin.modelledNanos(new SimKernelCall(BundledKernels.ACCUMULATE,
                LaunchConfig.forElements(1000), new Object[] {null, null, 1000}), model));
        assertEquals(0, twin.modelledNanos(new SimKernelCall(BundledKernels.ACCUMULATE, LaunchConfig.forElements(1),
                new Object[] {null, null, -5}), model));
        assertEquals(BundledKernels.contract(BundledKernels.ACCUMULATE), twin.signature());
    }
}
