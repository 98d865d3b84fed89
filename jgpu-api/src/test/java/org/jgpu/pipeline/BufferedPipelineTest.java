package org.jgpu.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgpu.AsyncOperationException;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.pipeline.BufferedPipeline.Layout;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BufferedPipelineTest {
    private static final int N = 256;
    private Context ctx;
    /**
     * {@code scale} from PTX of the test's own, not the bundled module: launches of the bundled
     * one past their buffer are refused at the call, this one's reach the device (the host
     * backend runs the bundled twin, which faults at run time).
     */
    private static final String OWN_SCALE_PTX = ".version 7.0\n.target sm_75\n.address_size 64\n\n"
            + ".visible .entry scale(\n\t.param .u64 scale_param_0,\n\t.param .f32 scale_param_1,\n"
            + "\t.param .u32 scale_param_2\n)\n{\n\tret;\n}\n";
    private Kernel scale;
    private Kernel uncheckedScale;
    private Kernel spin;

    @BeforeEach
    void open() {
        ctx = Context.create(ContextOptions.builder().backend("host")
                .configure(EngineModel.builder().h2dBytesPerSecond(1e9).d2hBytesPerSecond(1e9).build()).build());
        scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
        uncheckedScale = ctx.loadModule(ModuleSource.ptx(OWN_SCALE_PTX)).kernel(BundledKernels.SCALE);
        spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    private BufferedPipeline.Builder doubling(int depth, Layout layout, long dataBatches, List<Long> seen) {
        return BufferedPipeline.builder(ctx).depth(depth).layout(layout).inputBytes(4L * N).outputBytes(4L * N)
                .prepare((batch, in) -> {
                    if (batch >= dataBatches) {
                        return false;
                    }
                    float[] v = new float[N];
                    java.util.Arrays.fill(v, batch);
                    in.write(0, v);
                    return true;
                })
                .compute((stream, in, out, batch) -> {
                    stream.launch(spin, LaunchConfig.forElements(1), 200_000L);
                    stream.copy(in, out);
                    stream.launch(scale, LaunchConfig.forElements(N), out, 2f, N);
                })
                .consume((batch, out) -> {
                    float[] v = new float[N];
                    out.read(0, v);
                    for (float x : v) {
                        if (x != 2f * batch) {
                            throw new IllegalStateException("batch " + batch + " got " + x);
                        }
                    }
                    seen.add(batch);
                });
    }

    @ParameterizedTest
    @CsvSource({"1, SINGLE_STREAM", "2, SINGLE_STREAM", "3, STREAM_PER_STAGE", "3, STREAM_PER_SLOT", "5, STREAM_PER_STAGE"})
    void everyBatchGoesThroughInOrderWithTheRightResult(int depth, Layout layout) {
        List<Long> seen = new ArrayList<>();
        PipelineReport r = doubling(depth, layout, 1000, seen).build().run(20);
        assertEquals(20, r.batches());
        assertEquals(20, seen.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(i, seen.get(i));
        }
        assertTrue(r.wallNanos() > 0 && r.idealNanos() > 0 && r.efficiency() > 0, r.toString());
        assertEquals(List.of("prepare", "upload", "compute", "download", "consume"), List.copyOf(r.stageNanos().keySet()));
        ctx.synchronize();
        assertEquals(ctx.memoryInfo().totalBytes(), ctx.memoryInfo().freeBytes(), "every slot buffer was freed");
    }

    @Test
    void theEndOfDataEndsTheRunCleanly() {
        List<Long> seen = new ArrayList<>();
        PipelineReport r = doubling(3, Layout.STREAM_PER_STAGE, 7, seen).build().run(100);
        assertEquals(7, r.batches());
        assertEquals(7, seen.size());
    }

    @Test
    void aFailingStageNamesItselfAndTheBatchAfterTheBatchesInFlightFinished() {
        List<Long> seen = new ArrayList<>();
        BufferedPipeline.Builder b = doubling(3, Layout.STREAM_PER_STAGE, 100, seen);
        PipelineException prep = assertThrows(PipelineException.class, () -> b.prepare((batch, in) -> {
            if (batch == 4) {
                throw new java.io.IOException("disk gone");
            }
            float[] v = new float[N];
            java.util.Arrays.fill(v, batch);
            in.write(0, v);
            return true;
        }).build().run(10));
        assertEquals("prepare", prep.stage());
        assertEquals(4, prep.batch());
        assertTrue(prep.getMessage().contains("disk gone"), prep.getMessage());
        assertEquals(List.of(0L, 1L, 2L, 3L), seen, "the batches in flight finished");
        PipelineException cons = assertThrows(PipelineException.class,
                () -> doubling(2, Layout.SINGLE_STREAM, 100, new ArrayList<>()).consume((batch, out) -> {
                    if (batch == 2) {
                        throw new IllegalStateException("bad batch");
                    }
                }).build().run(10));
        assertEquals("consume", cons.stage());
        assertEquals(2, cons.batch());
        ctx.synchronize();
        assertEquals(ctx.memoryInfo().totalBytes(), ctx.memoryInfo().freeBytes(), "slots freed after a failure too");
    }

    private BufferedPipeline.Builder faultingFrom(int depth, Layout layout, long k, boolean onwards, List<Long> seen) {
        return doubling(depth, layout, 1000, seen).compute((stream, in, out, batch) -> {
            stream.copy(in, out);
            // 1000 x N elements of an N-element buffer: the kernel reads past its end
            boolean faults = onwards ? batch >= k : batch == k;
            stream.launch(uncheckedScale, LaunchConfig.forElements(N), out, 2f, faults ? 1000 * N : N);
        });
    }

    /**
     * A kernel that faults at batch k fails the run as a PipelineException for batch k, whatever
     * the layout and however many later batches already ran on the device (and failed too): the
     * batches before k are consumed, none from k on, and the fault is reported once.
     */
    @ParameterizedTest
    @CsvSource({"1, SINGLE_STREAM", "2, SINGLE_STREAM", "3, SINGLE_STREAM", "2, STREAM_PER_STAGE", "3, STREAM_PER_STAGE",
            "2, STREAM_PER_SLOT", "3, STREAM_PER_SLOT", "5, STREAM_PER_STAGE"})
    void aDeviceFaultFailsTheRunAtItsOwnBatchAndNothingFromItOnIsConsumed(int depth, Layout layout) {
        for (boolean onwards : new boolean[] {false, true}) {
            for (long k : new long[] {0, 1, 2, 3, 6, 9}) {
                List<Long> seen = new ArrayList<>();
                String where = layout + " depth " + depth + ", fault at " + (onwards ? "every batch from " : "batch ") + k;
                PipelineException e = assertThrows(PipelineException.class,
                        () -> faultingFrom(depth, layout, k, onwards, seen).build().run(10), () -> where + ", consumed " + seen);
                assertEquals(k, e.batch(), where + ": " + e);
                assertEquals("device work", e.stage(), where + ": " + e);
                assertInstanceOf(AsyncOperationException.class, e.getCause(), where + ": " + e);
                assertTrue(e.getMessage().contains("launch scale"), where + ": " + e);
                List<Long> expected = new ArrayList<>();
                for (long i = 0; i < k; i++) {
                    expected.add(i);
                }
                assertEquals(expected, seen, where);
                ctx.synchronize();   // reported by the pipeline, and by nothing after it
                assertEquals(ctx.memoryInfo().totalBytes(), ctx.memoryInfo().freeBytes(), "slots freed: " + where);
            }
        }
    }

    @Test
    void aDeviceFaultOfAnEarlierBatchIsReportedOverALaterPrepareFailure() {
        List<Long> seen = new ArrayList<>();
        BufferedPipeline.Builder b = faultingFrom(3, Layout.STREAM_PER_STAGE, 2, false, seen).prepare((batch, in) -> {
            if (batch == 3) {
                throw new java.io.IOException("disk gone");
            }
            float[] v = new float[N];
            java.util.Arrays.fill(v, batch);
            in.write(0, v);
            return true;
        });
        PipelineException e = assertThrows(PipelineException.class, () -> b.build().run(10));
        assertEquals(2, e.batch(), e.toString());
        assertEquals("device work", e.stage());
        assertEquals(List.of(0L, 1L), seen);
        assertEquals(1, e.getSuppressed().length, "the later failure is kept as suppressed");
        assertEquals(3, ((PipelineException) e.getSuppressed()[0]).batch());
    }

    @Test
    void badConfigurationsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> BufferedPipeline.builder(ctx).depth(0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> doubling(1, Layout.STREAM_PER_STAGE, 1, new ArrayList<>()).build());
        assertTrue(e.getMessage().contains("depth 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> doubling(2, Layout.SINGLE_STREAM, 1, new ArrayList<>()).build().run(0));
    }

    /**
     * The fastest of three runs of 30 batches: the model's timings are exact, and the host's
     * scheduling on a busy machine (a stage thread not run for tens of ms) only makes a run slower.
     */
    private static PipelineReport fastestOf3(BufferedPipeline.Builder builder) {
        PipelineReport best = null;
        for (int i = 0; i < 3; i++) {
            PipelineReport r = builder.build().run(30);
            if (best == null || r.wallNanos() < best.wallNanos()) {
                best = r;
            }
        }
        return best;
    }

    /** The classic table at a small scale: the engine model's timings, checked with wide margins. */
    @Test
    void tripleBufferingApproachesTheBoundOfTheSlowestStage() {
        long load = 1_000_000;
        long compute = 2_000_000;
        BufferedPipeline.Builder base = BufferedPipeline.builder(ctx).inputBytes(200_000).outputBytes(100_000)
                .prepare((batch, in) -> {
                    Sleeper.sleep(load);
                    return true;
                })
                .compute((stream, in, out, batch) -> stream.launch(spin, LaunchConfig.forElements(1), compute))
                .consume((batch, out) -> { });
        base.depth(3).layout(Layout.STREAM_PER_STAGE).build().run(5);   // warm-up
        PipelineReport seq = fastestOf3(base.depth(1).layout(Layout.SINGLE_STREAM));
        PipelineReport dbl = fastestOf3(base.depth(2).layout(Layout.SINGLE_STREAM));
        PipelineReport tri = fastestOf3(base.depth(3).layout(Layout.STREAM_PER_STAGE));
        PipelineReport multi = fastestOf3(base.depth(3).layout(Layout.STREAM_PER_SLOT));
        // per batch: load 1 ms, upload 0.2 ms, compute 2 ms, download 0.1 ms: bounds 3.3, 2.3, 2 ms
        String all = seq + "\n" + dbl + "\n" + tri + "\n" + multi;
        assertTrue(tri.speedupOver(seq) > 1.35, all);
        assertTrue(dbl.speedupOver(seq) > 1.15, all);
        assertTrue(tri.wallNanos() < dbl.wallNanos(), all);
        for (PipelineReport r : List.of(seq, dbl, tri, multi)) {
            assertTrue(r.efficiency() > 0.8 && r.efficiency() < 1.05, all);
            // compute is the slowest stage: the bound is at least its busy time
            assertTrue(r.idealNanos() >= 30 * compute, all);
        }
        // with a stream per slot, compute spans also hold waits for the one compute engine:
        // overlapping spans count once, so the busy time cannot exceed the wall time
        long computeBusy = multi.timeline().busyNanos("compute");
        assertTrue(computeBusy >= 30 * compute && computeBusy <= multi.wallNanos(), all);
        assertTrue(tri.deviceUtilization() > 0.75, all);
        assertTrue(tri.timeline().overlapNanos() > 0, all);
    }
}
