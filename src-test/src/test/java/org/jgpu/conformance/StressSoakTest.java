package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Long runs on one context: the memory and threads a context uses do not grow with the work it
 * has done, and the hazard bookkeeping (a vector clock per stream) stays bounded.
 */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: each test bounds itself (Stress.bounded)
class StressSoakTest {
    private static final int STREAMS = 4;
    private static final int N = 256;   // floats: 1 KiB per buffer
    private static final int OPS_PER_ITERATION = 10;
    private static final int SYNC_EVERY = 1_000;

    /** The value of element j of host buffer x in generation g: exact in float, and so is twice it. */
    private static float input(int x, int g, int j) {
        return (x + 1) * 100_000f + g * 10f + j;
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void mixedOperationsOnFourStreamsKeepHeapAndThreadsFlat(String backend) {
        long targetOps = 200_000L * Stress.SCALE;
        int iterations = (int) (targetOps / OPS_PER_ITERATION);
        int sampleEvery = iterations / 10;   // a multiple of SYNC_EVERY: samples follow a synchronize
        Stress.bounded("soak of " + targetOps + " operations on " + backend, Stress.limit(60, 30), () -> {
            int baseline = Stress.warmUp(backend);
            String ctxName;
            try (Stress.LeakWarnings leaks = new Stress.LeakWarnings()) {
                Stress.Samples samples = new Stress.Samples("soak " + backend, "ops");
                long ops = 0;
                long t0;
                try (Context ctx = Backend.open(backend)) {
                    ctxName = ctx.name();
                    Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
                    LaunchConfig cfg = LaunchConfig.forElements(N);
                    Stream[] s = new Stream[STREAMS];
                    HostBuffer[] in = new HostBuffer[STREAMS];
                    HostBuffer[] out = new HostBuffer[STREAMS];
                    DeviceBuffer[] d = new DeviceBuffer[STREAMS];
                    DeviceBuffer[] copy = new DeviceBuffer[STREAMS];
                    DeviceBuffer[] filled = new DeviceBuffer[STREAMS];
                    for (int x = 0; x < STREAMS; x++) {
                        s[x] = ctx.createStream();
                        in[x] = ctx.allocHost(4L * N, "in" + x);
                        out[x] = ctx.allocHost(4L * N, "out" + x);
                        d[x] = ctx.allocDevice(4L * N, "d" + x);
                        copy[x] = ctx.allocDevice(4L * N, "copy" + x);
                        filled[x] = ctx.allocDevice(4L * N, "filled" + x);
                    }
                    int generation = 0;
                    writeInputs(in, generation);
                    AtomicLong callbacksRun = new AtomicLong();
                    long callbacksEnqueued = 0;
                    List<CompletableFuture<Void>> pending = new ArrayList<>();
                    t0 = System.nanoTime();
                    for (int i = 0; i < iterations; i++) {
                        int x = i % STREAMS;
                        int y = (x + 1) % STREAMS;
                        Stream a = s[x];
                        Stream b = s[y];
                        // a ring: b reads what a wrote after an event, and every stream waits for the
                        // one before it, so a's next write to d[x] is ordered after b's read
                        a.copy(in[x], d[x]);
                        a.launch(scale, cfg, d[x], 2f, N);
                        a.fill(filled[x], i);
                        Event e = a.record();
                        b.waitFor(e);
                        b.copy(d[x], copy[y]);
                        b.copy(copy[y], out[y]);
                        a.query();
                        e.query();
                        if ((i + 1) % SYNC_EVERY == 0) {
                            Stress.checkpoint();
                            ctx.synchronize();
                            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
                            pending.clear();
                            assertEquals(callbacksEnqueued, callbacksRun.get(), "callbacks run after iteration " + i);
                            checkOutputs(out, generation, i);
                            writeInputs(in, ++generation);
                        } else if (i % 2 == 0) {
                            pending.add(a.callback(callbacksRun::incrementAndGet));
                            callbacksEnqueued++;
                        } else {
                            pending.add(b.onComplete());
                        }
                        ops += OPS_PER_ITERATION;
                        if ((i + 1) % sampleEvery == 0) {
                            samples.take(ops);
                        }
                    }
                }
                long nanos = System.nanoTime() - t0;
                assertEquals(targetOps, ops);
                samples.print();
                Stress.report("soak %s: %d operations in %.1f s: %.0f ops/s (heap and threads sampled every %d ops, "
                        + "time includes the sampling GCs)", backend, ops, nanos / 1e9, ops / (nanos / 1e9),
                        sampleEvery * OPS_PER_ITERATION);
                samples.assertHeapFlat(4);
                samples.assertThreadsFlat(2);
                int after = Stress.assertThreadsAtMost(baseline + 2, "threads after the soak's context closed (baseline "
                        + baseline + ")");
                Stress.report("soak %s: live threads %d before the context, %d after it closed", backend, baseline, after);
                leaks.settle();
                assertEquals(List.of(), leaks.about(ctxName), "leak warnings");
            }
        });
    }

    private static void writeInputs(HostBuffer[] in, int generation) {
        float[] v = new float[N];
        for (int x = 0; x < in.length; x++) {
            for (int j = 0; j < N; j++) {
                v[j] = input(x, generation, j);
            }
            in[x].write(0, v);
        }
    }

    /** out[y] holds twice in[y - 1] of this generation: every stream ran a round since it was written. */
    private static void checkOutputs(HostBuffer[] out, int generation, int iteration) {
        float[] v = new float[N];
        for (int y = 0; y < out.length; y++) {
            int x = (y + STREAMS - 1) % STREAMS;
            out[y].read(0, v);
            for (int j = 0; j < N; j++) {
                if (v[j] != 2 * input(x, generation, j)) {
                    throw new AssertionError("out" + y + "[" + j + "] after iteration " + iteration + ": " + v[j]
                            + ", expected " + 2 * input(x, generation, j));
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void vectorClocksStayBoundedAcrossManyRoundsOnEightStreams(String backend) {
        int rounds = Stress.scaled(1_000);
        int streams = 8;
        Stress.bounded("vector clocks over " + rounds + " rounds on 8 streams (" + backend + ")", Stress.limit(30, 10), () -> {
            try (Context ctx = Backend.open(backend)) {
                Stream[] s = new Stream[streams];
                DeviceBuffer[] d = new DeviceBuffer[streams];
                for (int k = 0; k < streams; k++) {
                    s[k] = ctx.createStream();
                    d[k] = ctx.allocDevice(64, "d" + k);
                }
                Stress.Samples samples = new Stress.Samples("vector clocks " + backend, "rounds");
                long t0 = System.nanoTime();
                for (int r = 0; r < rounds; r++) {
                    Stress.checkpoint();
                    // fan out, pass events around, then wait for every stream: the host's clock and the
                    // streams' clocks join each other in both directions every round
                    for (int k = 0; k < streams; k++) {
                        s[k].fill(d[k], r);
                    }
                    for (int k = 0; k < streams; k++) {
                        s[(k + 1) % streams].waitFor(s[k].record());
                    }
                    for (int k = 0; k < streams; k++) {
                        s[k].synchronize();
                    }
                    if ((r + 1) % (rounds / 4) == 0) {
                        samples.take(r + 1);
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                int[] got = new int[16];
                for (int k = 0; k < streams; k++) {
                    s[k].copy(d[k], got);
                    assertTrue(got[0] == rounds - 1 && got[15] == rounds - 1,
                            "d" + k + " holds " + got[0] + ", expected " + (rounds - 1));
                }
                samples.print();
                Stress.report("vector clocks %s: %d rounds of fill, record, waitFor and synchronize on each of 8 streams "
                        + "in %.1f s", backend, rounds, seconds);
                samples.assertHeapFlat(4);
            }
        });
    }
}
