package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;

/** Uploads and downloads of arrays return at once and reuse a few pinned staging buffers. */
class ArrayTransfersTest {

    private static Context host() {
        return Context.create(ContextOptions.builder().backend("host").build());
    }

    @Test
    void uploadsReturnBeforeTheStreamReachesThemAndStagingIsPinnedOncePerSize() {
        try (Context ctx = host(); Stream s = ctx.createStream("s"); DeviceBuffer dev = ctx.allocDevice(4096, "d")) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            s.launch(spin, LaunchConfig.forElements(1), 2_000_000_000L);
            Event spun = s.record();
            float[] a = new float[1024];
            // the upload and the download stage 4 KiB each, from one pool: as many as it holds in flight
            for (int i = 0; i < ArrayTransfers.PER_SIZE / 2; i++) {
                a[0] = i;
                s.upload(a, dev);
                s.download(dev, new byte[16]);
            }
            assertFalse(spun.query(), "the transfers waited for the stream");
            s.synchronize();
            ArrayTransfers staging = ((CoreContext) ctx).scope().transfers();
            int pinned = staging.pinned();
            assertTrue(pinned <= ArrayTransfers.PER_SIZE, "pinned " + pinned);
            for (int i = 0; i < 100; i++) {
                a[0] = i;
                s.upload(a, dev);
                assertEquals((float) i, s.download(dev, new float[1]).join()[0]);
            }
            assertEquals(pinned, staging.pinned(), "staging buffers are reused, not pinned again");
        }
    }

    @Test
    void eachSizeClassHasItsOwnBuffers() {
        try (Context ctx = host(); Stream s = ctx.createStream("s"); DeviceBuffer dev = ctx.allocDevice(1 << 16, "d")) {
            s.upload(new byte[1], dev);               // 4 KiB, the smallest
            s.upload(new byte[4097], dev);            // 8 KiB
            s.upload(new long[8192], dev);            // 64 KiB exactly
            s.synchronize();
            assertEquals(3, ((CoreContext) ctx).scope().transfers().pinned());
            byte[] back = new byte[3];
            s.upload(new byte[] {1, 2, 3}, 0, 3, dev);
            s.download(dev, back);
            s.synchronize();
            assertArrayEquals(new byte[] {1, 2, 3}, back);
        }
    }
}
