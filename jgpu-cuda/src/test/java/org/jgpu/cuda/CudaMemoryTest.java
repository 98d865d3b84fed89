package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DefaultStreamMode;
import org.jgpu.DeviceBuffer;
import org.jgpu.GpuOutOfMemoryException;
import org.jgpu.HazardMode;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Memory and default streams on a real device: limits, zeroing, reuse order, other threads. */
class CudaMemoryTest {
    private static final long SPIN_NS = 300_000_000L;

    @BeforeEach
    void needsADevice() {
        var a = new CudaBackendProvider().probe();
        assumeTrue(a.usable(), () -> "cuda backend skipped: " + a.reason());
    }

    private static Context cuda(DefaultStreamMode mode) {
        return Context.create(ContextOptions.builder().backend("cuda").hazardMode(HazardMode.OFF).defaultStream(mode).build());
    }

    private static Kernel spin(Context ctx) {
        return ctx.loadModule(ModuleSource.resource(CudaMemoryTest.class.getClassLoader(), BundledBinaries.PTX_RESOURCE))
                .kernel(BundledKernels.SPIN);
    }

    @Test
    void pinnedBuffersOfTwoGiBOrMoreAreRefusedWithTheLimit() {
        try (Context ctx = cuda(DefaultStreamMode.LEGACY)) {
            GpuOutOfMemoryException e = assertThrows(GpuOutOfMemoryException.class, () -> ctx.allocHost(Integer.MAX_VALUE + 1L));
            assertTrue(e.getMessage().contains("2 GiB - 1"), e.getMessage());
            try (HostBuffer h = ctx.allocHost(1 << 20)) {
                h.write(0, new byte[] {1});   // the context is fine afterwards
            }
        }
    }

    @Test
    void pinnedMemoryIsZeroedEvenWhenTheDriverHandsOutUsedPages() {
        int bytes = 4 << 20;
        byte[] dirt = new byte[bytes];
        Arrays.fill(dirt, (byte) 0x5a);
        try (Context ctx = cuda(DefaultStreamMode.LEGACY)) {
            for (int round = 0; round < 8; round++) {
                try (HostBuffer h = ctx.allocHost(bytes)) {
                    byte[] got = new byte[bytes];
                    h.read(0, got);
                    assertArrayEquals(new byte[bytes], got, "round " + round);
                    h.write(0, dirt);
                }
            }
        }
    }

    @Test
    void aReusedBlockIsUsedOnlyAfterItsFreeOnAnotherStream() {
        int n = 1 << 20;
        try (Context ctx = cuda(DefaultStreamMode.LEGACY)) {
            Kernel spin = spin(ctx);
            Stream s1 = ctx.createStream(StreamOptions.builder().name("s1").build());
            Stream s2 = ctx.createStream(StreamOptions.builder().name("s2").build());
            DeviceBuffer a = ctx.allocAsync(4L * n, s1);
            s1.launch(spin, LaunchConfig.forElements(1), SPIN_NS);
            s1.fill(a, 1);   // runs after the spin: a late user of the block
            a.close();       // freed in s1's order
            DeviceBuffer b = ctx.allocAsync(4L * n, s2);   // the same block, from the cache
            s2.fill(b, 2);
            int[] got = new int[n];
            s2.copy(b, got);
            int[] twos = new int[n];
            Arrays.fill(twos, 2);
            assertArrayEquals(twos, got, "s2 must wait for s1's free before it writes the reused block");
            b.close();
            ctx.synchronize();
        }
    }

    @Test
    void aThreadsDefaultStreamIsTheSameStreamOnEveryThread() throws Exception {
        try (Context ctx = cuda(DefaultStreamMode.PER_THREAD)) {
            Kernel spin = spin(ctx);
            Stream mine = CompletableFuture.supplyAsync(() -> {
                Stream s = ctx.defaultStream();
                s.launch(spin, LaunchConfig.forElements(1), SPIN_NS);
                return s;
            }).get();
            long t0 = System.nanoTime();
            mine.synchronize();   // on this thread: CU_STREAM_PER_THREAD would be this thread's empty stream
            long waited = System.nanoTime() - t0;
            assertTrue(waited > SPIN_NS / 2, "synchronize from another thread returned after " + waited + " ns");
            ctx.synchronize();
        }
    }
}
