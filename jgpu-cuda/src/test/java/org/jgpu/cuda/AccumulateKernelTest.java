package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Dim3;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.spi.Availability;
import org.junit.jupiter.api.Test;

/** The bundled accumulate kernel, the reduction step of the all-reduce, on a real device. */
class AccumulateKernelTest {

    @Test
    void accumulateAddsXIntoAccWhateverTheGrid() {
        Availability a = new CudaBackendProvider().probe();
        assumeTrue(a.usable(), () -> "cuda backend skipped: " + a.reason());
        int n = 1_000_003;
        float[] acc = new float[n];
        float[] x = new float[n];
        float[] sum = new float[n];
        for (int i = 0; i < n; i++) {
            acc[i] = i;
            x[i] = 1 - 0.5f * i;
            sum[i] = acc[i] + x[i];
        }
        try (Context ctx = Context.create(ContextOptions.builder().backend("cuda").build()); Stream s = ctx.createStream();
                DeviceBuffer accBuf = ctx.allocDevice(4L * n); DeviceBuffer xBuf = ctx.allocDevice(4L * n)) {
            Kernel k = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.ACCUMULATE);
            s.copy(acc, accBuf);
            s.copy(x, xBuf);
            // far fewer threads than elements: the grid-stride loop covers the rest
            s.launch(k, LaunchConfig.of(Dim3.of(7), Dim3.of(128)), accBuf, xBuf, n);
            float[] got = new float[n];
            s.copy(accBuf, got);
            assertArrayEquals(sum, got);
        }
    }
}
