package org.jgpu.examples;

import java.util.Random;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.pipeline.BufferedPipeline;
import org.jgpu.pipeline.PipelineReport;
import java.util.Arrays;

/**
 * Batched k-nearest-neighbour search: the base vectors stay on the device, batches of queries
 * stream through a double-buffered pipeline (squared L2 distances, then top-k), and the first
 * query of every batch is checked against a brute-force search on the CPU.
 */
final class VectorSearchExample {
    private static final int DIM = 32;
    private static final int BASE = 2048;
    private static final int QUERIES = 32;
    private static final int K = 8;

    private VectorSearchExample() {
    }

    static float query(long batch, int i) {
        return (float) Math.cos(batch * 7 + i * 0.37);
    }

    static void run(Context ctx, Options.Batches o, Report r) {
        Random rnd = new Random(11);
        float[] base = new float[BASE * DIM];
        for (int i = 0; i < base.length; i++) {
            base[i] = rnd.nextFloat() * 2 - 1;
        }
        KernelModule m = ctx.loadModule(ModuleSource.bundled());
        Kernel l2 = m.kernel(BundledKernels.L2_DISTANCES);
        Kernel topk = m.kernel(BundledKernels.TOPK_SMALLEST);
        try (DeviceBuffer dbase = ctx.allocDevice(4L * base.length, "base");
                DeviceBuffer dist = ctx.allocDevice(4L * QUERIES * BASE, "distances")) {
            ctx.defaultStream().copy(base, dbase);
            long resultBytes = 4L * QUERIES * K;
            PipelineReport rep = BufferedPipeline.builder(ctx).name("search").depth(2)
                    .inputBytes(4L * QUERIES * DIM).outputBytes(2 * resultBytes)
                    .prepare((batch, in) -> {
                        float[] q = new float[QUERIES * DIM];
                        for (int i = 0; i < q.length; i++) {
                            q[i] = query(batch, i);
                        }
                        in.write(0, q);
                        return true;
                    })
                    .compute((stream, in, out, batch) -> {
                        // one distance scratch buffer: every batch computes on the same stream, in order
                        stream.launch(l2, LaunchConfig.forElements((long) QUERIES * BASE), in, dbase, dist, QUERIES, BASE, DIM);
                        stream.launch(topk, LaunchConfig.forElements(QUERIES), dist, out.slice(0, resultBytes),
                                out.slice(resultBytes, resultBytes), QUERIES, BASE, K);
                    })
                    .consume((batch, out) -> {
                        int[] idx = new int[K];
                        out.read(0, idx);
                        int[] want = bruteForce(base, batch);
                        if (!Arrays.equals(idx, want)) {
                            throw new IllegalStateException("batch " + batch + ": neighbours " + Arrays.toString(idx)
                                    + ", brute force " + Arrays.toString(want));
                        }
                    })
                    .build().run(o.batches);
            double qps = rep.batchesPerSecond() * QUERIES;
            r.line("%d batches of %d queries over %d base vectors (dim %d), top %d, double-buffered; first query of each "
                    + "checked against brute force:", rep.batches(), QUERIES, BASE, DIM, K);
            r.line("  %s", rep);
            r.line("  %.0f queries/s", qps);
            r.simulatedCaveat(ctx);
            r.json.put("batches", rep.batches()).put("queriesPerSec", qps).put("wallMs", rep.wallNanos() / 1e6)
                    .put("efficiency", rep.efficiency());
        }
    }

    private static int[] bruteForce(float[] base, long batch) {
        float[] d = new float[BASE];
        Integer[] order = new Integer[BASE];
        for (int b = 0; b < BASE; b++) {
            float acc = 0;
            for (int x = 0; x < DIM; x++) {
                float diff = query(batch, x) - base[b * DIM + x];
                acc = Math.fma(diff, diff, acc);
            }
            d[b] = acc;
            order[b] = b;
        }
        Arrays.sort(order, (a, b) -> d[a] != d[b] ? Float.compare(d[a], d[b]) : Integer.compare(a, b));
        int[] out = new int[K];
        for (int i = 0; i < K; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
