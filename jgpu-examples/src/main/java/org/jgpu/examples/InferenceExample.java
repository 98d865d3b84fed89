package org.jgpu.examples;

import java.util.Random;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.blas.Blas;
import org.jgpu.blas.Transpose;
import org.jgpu.pipeline.BufferedPipeline;
import org.jgpu.pipeline.PipelineReport;

/** A dense layer, relu(X W + b), served batch after batch through a triple-buffered pipeline. */
final class InferenceExample {
    private static final int IN = 128;
    private static final int OUT = 64;
    private static final int ROWS = 64;

    private InferenceExample() {
    }

    static float input(long batch, int i) {
        return (float) Math.sin(batch * 31 + i * 0.1);
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
            PipelineReport rep = BufferedPipeline.builder(ctx).name("inference").depth(3)
                    .inputBytes(4L * ROWS * IN).outputBytes(4L * ROWS * OUT)
                    .prepare((batch, in) -> {
                        float[] x = new float[ROWS * IN];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = input(batch, i);
                        }
                        in.write(0, x);
                        return true;
                    })
                    .compute((stream, in, out, batch) -> {
                        // each pipeline stream's own BLAS, made on its first batch and closed with the stream
                        Blas.on(stream).sgemm(Transpose.NONE, Transpose.NONE, ROWS, OUT, IN, 1f, in, w, 0f, out);
                        stream.launch(biasRelu, LaunchConfig.forElements((long) ROWS * OUT), out, b, ROWS, OUT);
                    })
                    .consume((batch, out) -> {
                        float[] y = new float[OUT];
                        out.read(0, y);   // row 0, checked against the CPU
                        for (int c = 0; c < OUT; c++) {
                            double acc = bias[c];
                            for (int k = 0; k < IN; k++) {
                                acc += input(batch, k) * weights[k * OUT + c];
                            }
                            double want = Math.max(0, acc);
                            if (Math.abs(want - y[c]) > 1e-3 * Math.max(1, Math.abs(want))) {
                                throw new IllegalStateException("batch " + batch + " column " + c + ": " + y[c] + " vs " + want);
                            }
                        }
                    })
                    .build().run(o.batches);
            r.line("%d batches of %d rows through relu(X[%dx%d] W[%dx%d] + b), triple-buffered; row 0 of each checked:",
                    rep.batches(), ROWS, ROWS, IN, IN, OUT);
            r.line("  %s", rep);
            r.line("  %.0f rows/s", rep.batchesPerSecond() * ROWS);
            if (ctx.device().simulated()) {
                r.line("  (on the host backend the Java twins do the arithmetic on the CPU, so wall time follows Java, "
                        + "while stage times follow the engine model: efficiency here measures the simulator)");
            }
            r.json.put("batches", rep.batches()).put("wallMs", rep.wallNanos() / 1e6).put("rowsPerSec", rep.batchesPerSecond() * ROWS)
                    .put("efficiency", rep.efficiency());
        }
    }
}
