package org.jgpu.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgpu.AsyncOperationException;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardMode;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.blas.Blas;
import org.jgpu.sim.EngineModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceLoaderRunTest {
    private static final int N = 256;
    /** {@code scale} of the test's own PTX: a launch past its buffer reaches the device and faults there. */
    private static final String OWN_SCALE_PTX = ".version 7.0\n.target sm_75\n.address_size 64\n\n"
            + ".visible .entry scale(\n\t.param .u64 scale_param_0,\n\t.param .f32 scale_param_1,\n"
            + "\t.param .u32 scale_param_2\n)\n{\n\tret;\n}\n";
    private Context ctx;
    private Kernel scale;
    private Kernel uncheckedScale;
    private Kernel spin;

    @BeforeEach
    void open() {
        ctx = Context.create(ContextOptions.builder().backend("host").hazardMode(HazardMode.CHECK)
                .configure(EngineModel.builder().h2dBytesPerSecond(1e9).d2hBytesPerSecond(1e9).build()).build());
        scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
        uncheckedScale = ctx.loadModule(ModuleSource.ptx(OWN_SCALE_PTX)).kernel(BundledKernels.SCALE);
        spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
    }

    @AfterEach
    void close() {
        ctx.synchronize();
        assertEquals(ctx.memoryInfo().totalBytes(), ctx.memoryInfo().freeBytes(), "every buffer freed");
        ctx.close();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!loaderThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
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

    /** Batch i is N floats of value i; dataset fails at {@code failAt}. */
    private DeviceLoader loader(long batches, long failAt) {
        return DeviceLoader.builder(ctx).workers(3).prefetchDepth(2).dataset(batches, 4L * N, (i, x) -> {
            if (i == failAt) {
                throw new java.io.IOException("corrupt record " + i);
            }
            float[] v = new float[N];
            Arrays.fill(v, i);
            x.write(0, v);
        }).build();
    }

    /** y = 2 x; with {@code faultAt}, that batch's kernel reads past its buffer on the device. */
    private BufferedPipeline.Compute doubling(long faultAt) {
        return (stream, x, y, i) -> {
            stream.copy(x, y);
            stream.launch(i == faultAt ? uncheckedScale : scale, LaunchConfig.forElements(N), y, 2f, i == faultAt ? 1000 * N : N);
        };
    }

    /** Checks y = 2 i everywhere and notes i. */
    private static BufferedPipeline.Consume checking(List<Long> seen) {
        return (i, y) -> {
            float[] v = new float[N];
            y.read(0, v);
            for (float f : v) {
                assertEquals(2f * i, f, "batch " + i);
            }
            seen.add(i);
        };
    }

    private static List<Long> upTo(long k) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < k; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void everyBatchIsComputedDownloadedAndConsumedInOrderOffTheCallingThread() {
        List<Long> seen = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        PipelineReport r;
        try (DeviceLoader l = loader(40, -1)) {
            r = l.run(4L * N, doubling(-1), (i, y) -> {
                threads.add(Thread.currentThread().getName());
                checking(seen).accept(i, y);
            });
            assertThrows(IllegalStateException.class, () -> l.run(4L * N, doubling(-1), checking(seen)), "one pass");
        }
        assertEquals(upTo(40), seen);
        assertEquals(40, r.batches());
        assertNotEquals(Thread.currentThread().getName(), threads.get(0));
        assertEquals(List.of("prepare", "upload", "compute", "download", "consume"), List.copyOf(r.stageNanos().keySet()));
        assertTrue(r.wallNanos() > 0 && r.idealNanos() > 0 && r.stageNanos().get("compute") > 0, r.toString());
        assertEquals(3 * 40, r.timeline().spans().stream().filter(s -> !s.op().startsWith("upload")).count(),
                "compute, download and consume of every batch");
    }

    @Test
    void emptyDataRunsNothing() {
        try (DeviceLoader l = loader(0, -1)) {
            assertEquals(0, l.run(4L * N, doubling(-1), (i, y) -> {
                throw new AssertionError("no batch");
            }).batches());
        }
    }

    @Test
    void aGivenStreamComputesEveryBatchAndStaysUsableAfter() {
        List<Long> seen = new ArrayList<>();
        try (Stream s = ctx.createStream(); DeviceBuffer sum = ctx.allocDevice(4L * N, "sum")) {
            s.fill(sum, 0f);
            try (DeviceLoader l = loader(25, -1)) {
                l.run(s, 4L * N, (stream, x, y, i) -> {
                    assertEquals(s, stream);
                    Blas.on(stream).saxpy(N, 1f, x, sum);   // state kept on the device across batches
                    doubling(-1).enqueue(stream, x, y, i);
                }, checking(seen));
            }
            float[] got = new float[N];
            s.copy(sum, got);
            assertEquals(25 * 24 / 2f, got[N - 1]);
        }
        assertEquals(upTo(25), seen);
    }

    @Test
    void aFailingStageNamesItsBatchAfterTheBatchesBeforeItWereConsumed() {
        List<Long> seen = new ArrayList<>();
        try (DeviceLoader l = loader(30, 5)) {
            PipelineException e = assertThrows(PipelineException.class, () -> l.run(4L * N, doubling(-1), checking(seen)));
            assertEquals("worker fill", e.stage());
            assertEquals(5, e.batch());
            assertTrue(e.getMessage().contains("corrupt record 5"), e.getMessage());
        }
        assertEquals(upTo(5), seen);

        seen.clear();
        try (DeviceLoader l = loader(30, -1)) {
            PipelineException e = assertThrows(PipelineException.class, () -> l.run(4L * N, (stream, x, y, i) -> {
                if (i == 3) {
                    throw new IllegalStateException("model broke");
                }
                doubling(-1).enqueue(stream, x, y, i);
            }, checking(seen)));
            assertEquals("compute", e.stage());
            assertEquals(3, e.batch());
        }
        assertEquals(upTo(3), seen);

        seen.clear();
        try (DeviceLoader l = loader(30, -1)) {
            PipelineException e = assertThrows(PipelineException.class, () -> l.run(4L * N, doubling(-1), (i, y) -> {
                if (i == 4) {
                    throw new java.io.IOException("disk full");
                }
                checking(seen).accept(i, y);
            }));
            assertEquals("consume", e.stage());
            assertEquals(4, e.batch());
            assertInstanceOf(java.io.IOException.class, e.getCause());
        }
        assertEquals(upTo(4), seen);
    }

    /**
     * Work on one compute stream is checked batch by batch as it completes: a kernel of batch k
     * that fails is reported at the first batch whose check sees it, k or one before it still in
     * flight (at most slots - 1 = 2 before), and nothing from that batch on is consumed.
     */
    @Test
    void aDeviceFaultFailsTheRunAtTheFirstBatchThatSeesIt() {
        for (long k : new long[] {0, 2, 7}) {
            List<Long> seen = new ArrayList<>();
            try (DeviceLoader l = loader(12, -1)) {
                PipelineException e = assertThrows(PipelineException.class, () -> l.run(4L * N, doubling(k), checking(seen)));
                assertEquals("device work", e.stage(), e.toString());
                assertTrue(e.batch() <= k && e.batch() >= k - 2, e.toString());
                assertInstanceOf(AsyncOperationException.class, e.getCause());
                assertTrue(e.getMessage().contains("launch scale"), e.getMessage());
                assertEquals(upTo(e.batch()), seen);
            }
            ctx.synchronize();   // reported by the run, and by nothing after it
        }
    }

    @Test
    void badArgumentsAreNamed() {
        try (DeviceLoader l = loader(1, -1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.run(0, doubling(-1), (i, y) -> { }));
            assertTrue(e.getMessage().contains("outputBytes"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> l.run(4, null, (i, y) -> { }));
        }
    }

    /** Per batch: upload 1 ms, compute 2 ms, download 1 ms on the engine model. */
    private PipelineReport timedRun(int batches) {
        long bytes = 1_000_000;
        try (DeviceLoader l = DeviceLoader.builder(ctx).workers(2).prefetchDepth(2).dataset(batches, bytes, (i, x) -> { })
                .build()) {
            return l.run(bytes, (stream, x, y, i) -> stream.launch(spin, LaunchConfig.forElements(1), 2_000_000L), (i, y) -> { });
        }
    }

    /**
     * Uploads, compute and downloads of successive batches overlap: the run takes well under the
     * sequential sum. The engine model's times are exact; the host's scheduling only makes a run
     * slower, so the fastest of three is taken.
     */
    @Test
    void uploadComputeAndDownloadOfSuccessiveBatchesOverlap() {
        timedRun(3);   // warm-up
        int batches = 20;
        PipelineReport best = null;
        for (int rep = 0; rep < 3; rep++) {
            PipelineReport r = timedRun(batches);
            best = best == null || r.wallNanos() < best.wallNanos() ? r : best;
        }
        long sequential = batches * 4_000_000L;
        assertTrue(best.wallNanos() < 0.75 * sequential, best + " vs sequential " + sequential / 1e6 + " ms");
        assertTrue(best.stageNanos().get("compute") >= 2_000_000, best.stageNanos().toString());
        assertTrue(best.stageNanos().get("download") >= 1_000_000, best.stageNanos().toString());
        assertTrue(best.idealNanos() >= batches * 2_000_000L, best.toString());
        assertTrue(best.timeline().overlapNanos() > 0, best.toString());
        assertTrue(best.deviceUtilization() > 0.6, best.toString());
    }
}
