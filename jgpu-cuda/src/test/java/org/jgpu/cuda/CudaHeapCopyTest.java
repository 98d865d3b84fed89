package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumSet;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamFlag;
import org.jgpu.StreamOptions;
import org.jgpu.spi.Availability;
import org.junit.jupiter.api.Test;

/**
 * Heap copies go through pinned staging on the stream's own handle: ordered with the stream's
 * kernels also on a non-blocking stream, correct over several chunks and for odd sizes.
 */
class CudaHeapCopyTest {

    private static Context open() {
        Availability a = new CudaBackendProvider().probe();
        assumeTrue(a.usable(), () -> "cuda backend skipped: " + a.reason());
        return Context.create(ContextOptions.builder().backend("cuda").build());
    }

    @Test
    void heapCopiesOfSeveralChunksAreOrderedOnANonBlockingStream() {
        try (Context ctx = open(); Stream s = ctx.createStream(StreamOptions.builder().name("nb")
                .flags(EnumSet.of(StreamFlag.NON_BLOCKING)).build())) {
            Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            int n = (HeapStaging.CHUNK / 4) * 2 + 12345;   // two full chunks and an odd tail
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = i;
            }
            try (DeviceBuffer d = ctx.allocDevice(4L * n)) {
                for (int round = 0; round < 3; round++) {
                    s.copy(data, d);                                         // must land before the kernel
                    s.launch(scale, LaunchConfig.forElements(n), d, 2f, n);
                    float[] back = new float[n];
                    s.copy(d, back);                                         // must wait for the kernel
                    assertEquals(2f * (n - 1), back[n - 1], "round " + round);
                    assertEquals(2f * (HeapStaging.CHUNK / 4), back[HeapStaging.CHUNK / 4], "round " + round);
                }
                byte[] odd = new byte[7];
                for (int i = 0; i < odd.length; i++) {
                    odd[i] = (byte) (i + 1);
                }
                try (DeviceBuffer small = ctx.allocDevice(7)) {
                    s.copy(odd, small);
                    byte[] got = new byte[7];
                    s.copy(small, got);
                    assertArrayEquals(odd, got);
                }
            }
        }
    }
}
