package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelArgumentException;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.pipeline.BufferedPipeline;
import org.jgpu.pipeline.BufferedPipeline.Layout;
import org.jgpu.pipeline.DeviceLoader;
import org.jgpu.pipeline.PipelineException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Failures inside pipelines, at random batches (a device fault, a launch refused at the call, a
 * failing loader): the run ends with a PipelineException naming the batch that failed; nothing of that batch or a later one reaches the consumer, and a loader
 * hands out every good batch before the lowest failing one.
 */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: each test bounds itself (Stress.bounded)
class StressPipelineFaultTest {
    private static final int N = 64;   // floats per batch
    private static final int BATCHES = 12;

    /** Every depth and layout a BufferedPipeline offers. */
    private static final List<Object[]> SHAPES = List.of(
            new Object[] {1, Layout.SINGLE_STREAM}, new Object[] {2, Layout.SINGLE_STREAM},
            new Object[] {3, Layout.SINGLE_STREAM}, new Object[] {2, Layout.STREAM_PER_STAGE},
            new Object[] {3, Layout.STREAM_PER_STAGE}, new Object[] {2, Layout.STREAM_PER_SLOT},
            new Object[] {3, Layout.STREAM_PER_SLOT});

    private static float value(long batch, int i) {
        return batch * 1000f + i;
    }

    private static float[] values(long batch) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = value(batch, i);
        }
        return v;
    }

    /**
     * {@code scale} from PTX of the user's own, not the bundled module: jgpu checks it only against
     * its signature, so a count past its buffer reaches the device (on the host backend, the
     * bundled twin, which faults at run time). The bundled module's launches are refused at the
     * call instead (see the test after this one).
     */
    private static final String OWN_SCALE_PTX = ".version 7.0\n.target sm_75\n.address_size 64\n\n"
            + ".visible .entry scale(\n\t.param .u64 scale_param_0,\n\t.param .f32 scale_param_1,\n"
            + "\t.param .u32 scale_param_2\n)\n{\n\tret;\n}\n";

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aDeviceFaultInABufferedPipelineNamesItsBatchAndNoLaterBatchIsConsumed(String backend) {
        assumeTrue(backend.equals("host"),
                "a kernel that writes past its buffer corrupts a CUDA context; the host backend reports the fault");
        faultingPipelines(backend, "device faults", ctx -> ctx.loadModule(ModuleSource.ptx(OWN_SCALE_PTX))
                .kernel(BundledKernels.SCALE), IndexOutOfBoundsException.class);
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aRefusedBundledLaunchInABufferedPipelineNamesItsBatchAndNoLaterBatchIsConsumed(String backend) {
        faultingPipelines(backend, "refused launches", ctx -> ctx.loadModule(ModuleSource.bundled())
                .kernel(BundledKernels.SCALE), KernelArgumentException.class);
    }

    /**
     * Runs pipelines whose compute stage launches {@code scale} with a count 100 times its
     * buffer at a random batch, over every shape, and checks how each run ends.
     */
    private static void faultingPipelines(String backend, String what, Function<Context, Kernel> load,
            Class<? extends Throwable> cause) {
        int reps = Stress.scaled(10);
        Stress.bounded(what + " in BufferedPipeline (" + backend + ")", Stress.limit(40, 15), () -> {
            Random random = new Random(41);
            int runs = 0;
            for (Object[] shape : SHAPES) {
                int depth = (Integer) shape[0];
                Layout layout = (Layout) shape[1];
                for (int rep = 0; rep < reps; rep++) {
                    Stress.checkpoint();
                    long failing = random.nextInt(BATCHES);
                    String where = "depth " + depth + " " + layout + ", device work of batch " + failing + " faults";
                    List<Long> consumed = new ArrayList<>();
                    List<String> wrong = new ArrayList<>();
                    try (Context ctx = Context.create(Backend.options(backend).build())) {
                        Kernel scale = load.apply(ctx);
                        BufferedPipeline p = BufferedPipeline.builder(ctx).depth(depth).layout(layout)
                                .inputBytes(4L * N).outputBytes(4L * N)
                                .prepare((batch, in) -> {
                                    in.write(0, values(batch));
                                    return true;
                                })
                                .compute((stream, in, out, batch) -> {
                                    // the failing batch's kernel reaches far past its buffer
                                    int n = batch == failing ? 100 * N : N;
                                    stream.launch(scale, LaunchConfig.forElements(n), in, 2f, n);
                                    stream.copy(in, out);
                                })
                                .consume((batch, out) -> {
                                    consumed.add(batch);
                                    float[] got = new float[N];
                                    out.read(0, got);
                                    for (int i = 0; i < N; i++) {
                                        if (got[i] != 2 * value(batch, i)) {
                                            wrong.add("batch " + batch + " element " + i + ": " + got[i]);
                                            break;
                                        }
                                    }
                                })
                                .build();
                        PipelineException e;
                        try {
                            p.run(BATCHES);
                            throw new AssertionError("the run ended normally: " + where + "; consumed " + consumed);
                        } catch (PipelineException x) {
                            e = x;
                        } catch (RuntimeException x) {
                            throw new AssertionError("the run ended with " + x.getClass().getName()
                                    + ", not a PipelineException naming the batch: " + where + ": " + x, x);
                        }
                        assertEquals(failing, e.batch(), "the batch the PipelineException names: " + where + ": " + e);
                        assertTrue(causedBy(e, cause), "caused by a " + cause.getSimpleName() + ": " + where + ": " + e);
                        assertTrue(e.getMessage().contains("batch " + failing), where + ": " + e.getMessage());
                        for (int i = 0; i < consumed.size(); i++) {
                            assertEquals(i, consumed.get(i), "consumed in order, nothing at or after the failed batch: "
                                    + where + "; consumed " + consumed);
                        }
                        assertTrue(consumed.size() <= failing, "a batch at or after the failed one was consumed: " + where
                                + "; consumed " + consumed);
                        assertEquals(List.of(), wrong, where);
                        // the context is still usable
                        try (DeviceBuffer d = ctx.allocDevice(64); Stream s = ctx.createStream()) {
                            s.fill(d, 5);
                            int[] back = new int[16];
                            s.copy(d, back);
                            assertEquals(5, back[15], where);
                        }
                    }
                    runs++;
                }
            }
            Stress.report("BufferedPipeline %s %s: %d runs over %d depth/layout shapes, each a PipelineException "
                    + "naming the faulting batch, nothing of it or later consumed", what, backend, runs, SHAPES.size());
        });
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (causedBy(s, type)) {
                    return true;
                }
            }
        }
        return false;
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aFailingDeviceLoaderNamesTheLowestFailingBatchAfterHandingOutEveryGoodOne(String backend) {
        int reps = Stress.scaled(30);
        int batches = 16;
        Stress.bounded("failing DeviceLoader (" + backend + ")", Stress.limit(40, 15), () -> {
            Random random = new Random(42);
            try (Context ctx = Context.create(Backend.options(backend).build())) {
                Stream compute = ctx.createStream();
                for (int rep = 0; rep < reps; rep++) {
                    Stress.checkpoint();
                    int failing = random.nextInt(batches);
                    int mode = rep % 3;   // 0: the data ends at it; 1: only it fails; 2: it and some later ones fail
                    int workers = 1 + random.nextInt(4);
                    int prefetch = 1 + random.nextInt(3);
                    long seed = random.nextLong();
                    String where = (mode == 0 ? "data ends at batch " : mode == 1 ? "only batch " : "batch ")
                            + failing + (mode == 1 ? " fails" : mode == 2 ? " and some later ones fail" : "") + ", "
                            + workers + " workers, prefetch " + prefetch;
                    List<Long> delivered = new ArrayList<>();
                    PipelineException failure = null;
                    try (DeviceLoader loader = DeviceLoader.builder(ctx).workers(workers).prefetchDepth(prefetch)
                            .dataset(batches, 4L * N, (index, slot) -> {
                                boolean fails = index == failing || mode == 0 && index > failing
                                        || mode == 2 && index > failing && new Random(seed + index).nextBoolean();
                                if (fails) {
                                    throw mode == 0 ? new EOFException("no batch " + index) : new IOException("bad batch " + index);
                                }
                                slot.write(0, values(index));
                            }).build()) {
                        for (DeviceLoader.DeviceBatch b : loader) {
                            try (b) {
                                b.waitOn(compute);
                                float[] got = new float[N];
                                compute.copy(b.buffer(), got);
                                assertEquals(value(b.index(), N - 1), got[N - 1], "data of batch " + b.index() + ": " + where);
                                delivered.add(b.index());
                            }
                        }
                    } catch (PipelineException e) {
                        failure = e;
                    }
                    assertTrue(failure != null, "the iteration ended without a PipelineException: " + where
                            + "; delivered " + delivered);
                    assertEquals(failing, failure.batch(), "the batch the PipelineException names: " + where + ": " + failure);
                    List<Long> expected = new ArrayList<>();
                    for (long i = 0; i < failing; i++) {
                        expected.add(i);
                    }
                    assertEquals(expected, delivered, "every batch before the failing one, in order, then the failure: "
                            + where);
                }
                ctx.synchronize();
            }
            Stress.report("DeviceLoader failures %s: %d runs (data ending early, one failing batch, several), each "
                    + "handing out every batch before the lowest failing one, then naming it", backend, reps);
        });
    }
}
