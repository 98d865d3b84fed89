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
    void aFailingWorkerEndsTheIterationWithItsExceptionAndBatch() {
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
        assertTrue(seen.size() <= 7, "batches after the failure were not delivered: " + seen);
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
