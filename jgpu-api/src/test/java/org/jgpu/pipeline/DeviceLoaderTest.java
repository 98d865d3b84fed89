package org.jgpu.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.HazardException;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceLoaderTest {
    private static final int N = 64;
    private Context ctx;
    private Kernel scale;

    @BeforeEach
    void open() {
        ctx = Context.create(ContextOptions.builder().backend("host").build());
        scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
    }

    @AfterEach
    void close() {
        ctx.close();
        assertTrue(loaderThreads().isEmpty(), "threads left: " + loaderThreads());
    }

    private static List<String> loaderThreads() {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jgpu-loader") && t.isAlive()) {
                out.add(t.getName());
            }
        }
        return out;
    }

    private DeviceLoader.Builder loader(long batches, long failAt) {
        return DeviceLoader.builder(ctx).workers(3).prefetchDepth(2).dataset(batches, 4L * N, (i, slot) -> {
            if (i == failAt) {
                throw new java.io.IOException("corrupt record " + i);
            }
            float[] v = new float[N];
            java.util.Arrays.fill(v, i);
            slot.write(0, v);
        });
    }

    @Test
    void batchesArriveInOrderOnTheDeviceAndAreRecycledAfterTheirConsumer() {
        Stream compute = ctx.createStream();
        List<Long> seen = new ArrayList<>();
        try (DeviceLoader l = loader(25, -1).build()) {
            for (DeviceLoader.DeviceBatch b : l) {
                try (b) {
                    b.waitOn(compute);
                    compute.launch(scale, LaunchConfig.forElements(N), b.buffer(), 2f, N);
                    float[] out = new float[N];
                    compute.copy(b.buffer(), out);
                    assertEquals(2f * b.index(), out[N - 1], "batch " + b.index());
                    seen.add(b.index());
                }
            }
        }
        assertEquals(25, seen.size());
        for (int i = 0; i < 25; i++) {
            assertEquals(i, seen.get(i));
        }
        ctx.synchronize();
        assertEquals(ctx.memoryInfo().totalBytes(), ctx.memoryInfo().freeBytes(), "device buffers freed");
    }

    @Test
    void shortAndEmptyDataEndTheIterationCleanly() {
        for (long n : new long[] {0, 1, 5}) {
            long count = 0;
            try (DeviceLoader l = DeviceLoader.builder(ctx).prefetchDepth(4).dataset(n, 16, (i, slot) -> { }).build()) {
                for (DeviceLoader.DeviceBatch b : l) {
                    b.close();
                    count++;
                }
            }
            assertEquals(n, count);
        }
    }

    @Test
    void aFailingWorkerEndsTheIterationWithItsExceptionAndBatchAfterTheBatchesBeforeIt() {
        List<Long> seen = new ArrayList<>();
        PipelineException e;
        try (DeviceLoader l = loader(50, 7).build()) {
            e = assertThrows(PipelineException.class, () -> {
                for (DeviceLoader.DeviceBatch b : l) {
                    seen.add(b.index());
                    b.close();
                }
            });
        }
        assertEquals(7, e.batch());
        assertTrue(e.getMessage().contains("corrupt record 7"), e.getMessage());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), seen, "every batch before the failure, none after");
    }

    /**
     * Batch k fails (k alone, or every batch from k on as when the data ends early), with the
     * worker on k slower than those after it: the iteration hands out exactly batches 0..k-1,
     * with their data, then throws for batch k, whatever the workers and prefetch depth.
     */
    @Test
    void aFailureAtBatchKDeliversEveryBatchBeforeItThenNamesK() {
        java.util.Random random = new java.util.Random(42);
        int before = liveThreads();
        Stream compute = ctx.createStream();
        for (int rep = 0; rep < 120; rep++) {
            int workers = 1 + rep % 4;
            int prefetch = 1 + (rep / 4) % 3;
            boolean endsEarly = rep % 2 == 0;
            long k = random.nextInt(10);
            long slowNanos = random.nextInt(3) * 300_000L;
            String where = "rep " + rep + ": " + workers + " workers, prefetch " + prefetch + ", "
                    + (endsEarly ? "data ends at " : "fails at ") + k;
            List<Long> seen = new ArrayList<>();
            PipelineException e;
            try (DeviceLoader l = DeviceLoader.builder(ctx).workers(workers).prefetchDepth(prefetch)
                    .dataset(1000, 4L * N, (i, slot) -> {
                        if (i == k || endsEarly && i > k) {
                            if (i == k) {
                                org.jgpu.sim.Sleeper.sleep(slowNanos);   // let a later batch fail first
                            }
                            throw endsEarly ? new java.io.EOFException("no record " + i) : new java.io.IOException("corrupt record " + i);
                        }
                        float[] v = new float[N];
                        java.util.Arrays.fill(v, i);
                        slot.write(0, v);
                    }).build()) {
                var it = l.iterator();
                e = assertThrows(PipelineException.class, () -> {
                    while (it.hasNext()) {
                        try (DeviceLoader.DeviceBatch b = it.next()) {
                            b.waitOn(compute);
                            float[] out = new float[N];
                            compute.copy(b.buffer(), out);
                            assertEquals(b.index(), (long) out[0], where);
                            assertEquals(b.index(), (long) out[N - 1], where);
                            seen.add(b.index());
                        }
                    }
                }, () -> where + ", got " + seen);
                assertEquals(e, assertThrows(PipelineException.class, it::hasNext), "the iteration stays failed: " + where);
            }
            assertEquals(k, e.batch(), where + ": " + e);
            assertEquals("worker fill", e.stage(), where);
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < k; i++) {
                expected.add(i);
            }
            assertEquals(expected, seen, where);
        }
        compute.close();
        ctx.synchronize();
        assertEquals(ctx.memoryInfo().totalBytes(), ctx.memoryInfo().freeBytes(), "device buffers freed");
        assertThreadsBackTo(before);
    }

    private static int liveThreads() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Stream threads end just after their stream is closed: give them a moment. */
    private static void assertThreadsBackTo(int before) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (liveThreads() > before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(liveThreads() <= before, "threads before: " + before + ", after: " + liveThreads() + " "
                + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
    }

    @Test
    void closingEarlyStopsEverythingAndFreesTheMemory() {
        DeviceLoader l = loader(1000, -1).build();
        var it = l.iterator();
        it.next().close();
        DeviceLoader.DeviceBatch held = it.next();
        l.close();
        assertThrows(IllegalStateException.class, () -> held.buffer().slice(0, 4));
        ctx.synchronize();
        assertEquals(ctx.memoryInfo().totalBytes(), ctx.memoryInfo().freeBytes());
        assertThrows(IllegalStateException.class, l::iterator);
    }

    @Test
    void forgettingToWaitForTheUploadIsAHazard() {
        Stream compute = ctx.createStream();
        long bytes = 64L << 20;   // about 5 ms to upload: still running when the batch is handed out
        try (DeviceLoader l = DeviceLoader.builder(ctx).workers(1).prefetchDepth(1).dataset(1, bytes, (i, slot) -> { })
                .build()) {
            DeviceLoader.DeviceBatch b = l.iterator().next();
            HazardException e = assertThrows(HazardException.class,
                    () -> compute.launch(scale, LaunchConfig.forElements(N), b.buffer(), 2f, N));
            assertEquals("loader-copy", e.earlierStream());
            b.waitOn(compute);
            compute.launch(scale, LaunchConfig.forElements(N), b.buffer(), 2f, N);
            b.close();
        }
    }
}
