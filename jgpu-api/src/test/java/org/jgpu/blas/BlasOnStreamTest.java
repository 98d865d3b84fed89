package org.jgpu.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.junit.jupiter.api.Test;

/** One Blas per stream, found rather than kept, on the host backend with only jgpu-api on the class path. */
class BlasOnStreamTest {

    private static Context host() {
        return Context.create(ContextOptions.builder().backend("host").build());
    }

    @Test
    void hostBlasNeedsNothingButThisModule() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("jcuda.Pointer"), "JCuda is not on this class path");
        assertTrue(Blas.unavailableReason("host").isEmpty());
        String cuda = Blas.unavailableReason("cuda").orElseThrow();
        assertTrue(cuda.contains("no BLAS for the cuda backend") && cuda.contains("jgpu-cuda"), cuda);
        try (Context ctx = host()) {
            Stream s = ctx.createStream();
            DeviceBuffer a = ctx.allocDevice(4 * 6);
            DeviceBuffer b = ctx.allocDevice(4 * 6);
            DeviceBuffer c = ctx.allocDevice(4 * 4);
            s.copy(new float[] {1, 2, 3, 4, 5, 6}, a);   // 2 x 3
            s.copy(new float[] {1, 0, 0, 1, 1, 1}, b);   // 3 x 2
            Blas.on(s).sgemm(Transpose.NONE, Transpose.NONE, 2, 2, 3, 1f, a, b, 0f, c);
            float[] got = new float[4];
            s.copy(c, got);
            assertArrayEquals(new float[] {4, 5, 10, 11}, got);
        }
    }

    @Test
    void aStreamHasOneBlasUntilItIsClosed() {
        try (Context ctx = host()) {
            Stream s = ctx.createStream(StreamOptions.builder().name("one").build());
            Stream other = ctx.createStream();
            DeviceBuffer x = ctx.allocDevice(64);
            Blas first = Blas.on(s);
            assertSame(first, Blas.on(s), "the same handle on the same stream");
            assertNotSame(first, Blas.on(other), "another stream has its own");
            assertSame(s, first.stream());
            first.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.saxpy(16, 1f, x, x));
            assertEquals("BLAS on stream 'one' is closed; make a new one with Blas.on(stream)", e.getMessage());
            Blas second = Blas.on(s);
            assertNotSame(first, second, "a closed handle is detached: the next Blas.on makes a new one");
            assertSame(second, Blas.on(s));
            second.saxpy(16, 1f, x, x);
            s.synchronize();
        }
    }

    @Test
    void theStreamClosesItsBlas() {
        try (Context ctx = host()) {
            Stream s = ctx.createStream(StreamOptions.builder().name("short").build());
            DeviceBuffer x = ctx.allocDevice(64);
            Blas blas = Blas.on(s);
            blas.saxpy(16, 1f, x, x);
            s.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> blas.saxpy(16, 1f, x, x));
            assertEquals("BLAS on stream 'short' is closed; make a new one with Blas.on(stream)", e.getMessage());
            assertThrows(IllegalStateException.class, () -> Blas.on(s), "a closed stream has no BLAS");
            blas.close();   // after the stream closed it: nothing to do
            ctx.synchronize();   // and the stream's close of it failed nothing
        }
    }

    @Test
    void aBlasDoesNotKeepAStreamDroppedUnclosedFromBeingCollected() throws Exception {
        try (Context ctx = host()) {
            WeakReference<Stream> dropped = dropStreamWithBlas(ctx);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (dropped.get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(10);
            }
            assertNull(dropped.get(), "the stream's BLAS kept the stream reachable through the context");
        }
    }

    private static WeakReference<Stream> dropStreamWithBlas(Context ctx) {
        Stream s = ctx.createStream();
        DeviceBuffer x = ctx.allocDevice(64);
        Blas.on(s).saxpy(16, 1f, x, x);
        s.synchronize();
        return new WeakReference<>(s);
    }

    @Test
    void blasOnWaitsOutAnEarlyCloseAndGivesANewHandle() throws Exception {
        try (Context ctx = host()) {
            Stream s = ctx.createStream();
            DeviceBuffer x = ctx.allocDevice(64);
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Blas closing = Blas.on(s);
                s.launch(spin, LaunchConfig.forElements(1), 300_000_000L);   // the close waits for it
                Future<?> closed = pool.submit(closing::close);
                while (closing.isOpen()) {
                    Thread.onSpinWait();
                }
                Blas next = Blas.on(s);   // during the close: waits for it
                assertTrue(closed.isDone(), "Blas.on returned before the early close ended");
                assertNotSame(closing, next);
                assertTrue(next.isOpen());
                next.saxpy(16, 1f, x, x);
                s.synchronize();
                closed.get();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void threadsFindTheSameBlasAndCallItAtOnce() throws Exception {
        int threads = 8;
        int n = 256;
        int rounds = 50;
        try (Context ctx = host()) {
            Stream s = ctx.createStream();
            DeviceBuffer ones = ctx.allocDevice(4L * n);
            s.fill(ones, 1f);
            List<DeviceBuffer> ys = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                DeviceBuffer y = ctx.allocDevice(4L * n);
                s.fill(y, 0f);
                ys.add(y);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Callable<Blas>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    DeviceBuffer y = ys.get(t);
                    float alpha = t + 1;
                    work.add(() -> {
                        Blas found = null;
                        for (int r = 0; r < rounds; r++) {
                            found = Blas.on(s);
                            found.saxpy(n, alpha, ones, y);
                        }
                        return found;
                    });
                }
                List<Future<Blas>> done = pool.invokeAll(work);
                Blas one = Blas.on(s);
                for (Future<Blas> f : done) {
                    assertSame(one, f.get(), "every thread found the stream's one BLAS");
                }
            } finally {
                pool.shutdown();
            }
            for (int t = 0; t < threads; t++) {
                float[] got = new float[n];
                s.copy(ys.get(t), got);
                for (int i = 0; i < n; i++) {
                    assertEquals((t + 1) * rounds, got[i], "thread " + t + " element " + i);
                }
            }
        }
    }
}
