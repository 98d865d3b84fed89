package org.jgpu.examples;

import java.util.Random;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.blas.Blas;
import org.jgpu.blas.Transpose;
import org.jgpu.pipeline.DeviceLoader;
import org.jgpu.pipeline.PipelineReport;

/**
 * A dense layer, relu(X W + b), served batch after batch by a DeviceLoader run: workers prepare
 * the inputs, uploads, compute and downloads overlap, and each output is checked in order.
 */
final class InferenceExample {
    private static final int IN = 128;
    private static final int OUT = 64;
    private static final int ROWS = 64;

    private InferenceExample() {
    }

    static float input(long batch, int i) {
        return (float) Math.sin(batch * 31 + i * 0.1);
    }

    private static float[] inputs(long batch) {
        float[] x = new float[ROWS * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = input(batch, i);
        }
        return x;
    }

    /** The model: its weights on the device, its forward pass enqueued on the stream it is given. */
    private record Dense(DeviceBuffer w, DeviceBuffer b, Kernel biasRelu) {
        void forward(Stream stream, DeviceBuffer x, DeviceBuffer y) {
            Blas.on(stream).sgemm(Transpose.NONE, Transpose.NONE, ROWS, OUT, IN, 1f, x, w, 0f, y);   // the stream's BLAS
            stream.launch(biasRelu, LaunchConfig.forElements((long) ROWS * OUT), y, b, ROWS, OUT);
        }
    }

    /** Row 0 of batch {@code batch}'s output against the CPU. */
    private static void check(long batch, HostBuffer y, float[] weights, float[] bias) {
        float[] row = new float[OUT];
        y.read(0, row);
        for (int c = 0; c < OUT; c++) {
            double acc = bias[c];
            for (int k = 0; k < IN; k++) {
                acc += input(batch, k) * weights[k * OUT + c];
            }
            double want = Math.max(0, acc);
            if (Math.abs(want - row[c]) > 1e-3 * Math.max(1, Math.abs(want))) {
                throw new IllegalStateException("batch " + batch + " column " + c + ": " + row[c] + " vs " + want);
            }
        }
    }

    static void run(Context ctx, Options.Batches o, Report r) {
        Random rnd = new Random(5);
        float[] weights = new float[IN * OUT];
        float[] bias = new float[OUT];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) rnd.nextGaussian() / 10;
        }
        for (int i = 0; i < OUT; i++) {
            bias[i] = (float) rnd.nextGaussian() / 10;
        }
        Kernel biasRelu = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.BIAS_RELU);
        try (DeviceBuffer w = ctx.allocDevice(4L * IN * OUT, "W"); DeviceBuffer b = ctx.allocDevice(4L * OUT, "b")) {
            ctx.defaultStream().copy(weights, w);
            ctx.defaultStream().copy(bias, b);
            Dense model = new Dense(w, b, biasRelu);
            PipelineReport rep;
            try (DeviceLoader loader = DeviceLoader.builder(ctx).workers(2).prefetchDepth(2)
                    .dataset(o.batches, 4L * ROWS * IN, (i, x) -> x.write(0, inputs(i))).build()) {
                rep = loader.run(4L * ROWS * OUT,
                        (stream, x, y, i) -> model.forward(stream, x, y),      // on the run's compute stream
                        (i, y) -> check(i, y, weights, bias));                // in batch order, once downloaded
            }
            r.line("%d batches of %d rows through relu(X[%dx%d] W[%dx%d] + b), prefetched, computed and downloaded by a "
                    + "DeviceLoader run; row 0 of each checked:", rep.batches(), ROWS, ROWS, IN, IN, OUT);
            r.line("  %s", rep);
            r.line("  %.0f rows/s", rep.batchesPerSecond() * ROWS);
            r.simulatedCaveat(ctx);
            r.json.put("batches", rep.batches()).put("wallMs", rep.wallNanos() / 1e6).put("rowsPerSec", rep.batchesPerSecond() * ROWS)
                    .put("efficiency", rep.efficiency());
        }
    }
}
