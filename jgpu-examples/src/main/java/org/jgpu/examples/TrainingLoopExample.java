package org.jgpu.examples;

import java.util.Random;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Stream;
import org.jgpu.blas.Blas;
import org.jgpu.blas.Transpose;
import org.jgpu.pipeline.DeviceLoader;
import org.jgpu.pipeline.PipelineReport;

/**
 * Linear regression trained by SGD on the device: batches prefetched by a DeviceLoader run,
 * every step on one stream with BLAS (cuBLAS on CUDA, its Java twins on the host backend), each
 * step's loss downloaded and taken in order while later steps run.
 */
final class TrainingLoopExample {
    private static final int DIM = 32;
    private static final int BATCH = 256;

    private TrainingLoopExample() {
    }

    private static float[] trueWeights() {
        float[] w = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            w[i] = (float) Math.sin(i + 1);
        }
        return w;
    }

    /** Batch {@code index}: X (BATCH x DIM, row-major) then y = X w* + noise. */
    static float[] batch(long index) {
        Random rnd = new Random(1000 + index);
        float[] w = trueWeights();
        float[] v = new float[BATCH * DIM + BATCH];
        for (int r = 0; r < BATCH; r++) {
            float y = 0;
            for (int c = 0; c < DIM; c++) {
                float x = (float) rnd.nextGaussian();
                v[r * DIM + c] = x;
                y += x * w[c];
            }
            v[BATCH * DIM + r] = y + 0.01f * (float) rnd.nextGaussian();
        }
        return v;
    }

    /** The model: weights and scratch on the device; one SGD step enqueued on the stream it is given. */
    private record Linear(DeviceBuffer w, DeviceBuffer err, DeviceBuffer grad, float lr) {
        void step(Stream s, DeviceBuffer batch, DeviceBuffer loss) {
            Blas blas = Blas.on(s);   // the stream's BLAS, closed with it
            DeviceBuffer x = batch.slice(0, 4L * BATCH * DIM);
            DeviceBuffer y = batch.slice(4L * BATCH * DIM, 4L * BATCH);
            blas.sgemv(Transpose.NONE, BATCH, DIM, 1f, x, w, 0f, err);          // err = X w
            blas.saxpy(BATCH, -1f, y, err);                                      // err = X w - y
            blas.sdot(BATCH, err, err, loss);                                    // loss = |err|^2
            blas.sgemv(Transpose.TRANSPOSE, BATCH, DIM, 1f, x, err, 0f, grad);   // grad = X^T err
            blas.saxpy(DIM, -lr / BATCH, grad, w);                               // w -= lr/B * grad
        }
    }

    static void run(Context ctx, Options.Batches o, Report r) {
        int steps = o.batches;
        long bytes = 4L * (BATCH * DIM + BATCH);
        float[] loss = new float[steps];
        try (Stream s = ctx.createStream();
                DeviceBuffer w = ctx.allocDevice(4L * DIM, "weights"); DeviceBuffer err = ctx.allocDevice(4L * BATCH, "err");
                DeviceBuffer grad = ctx.allocDevice(4L * DIM, "grad");
                DeviceLoader loader = DeviceLoader.builder(ctx).workers(2).prefetchDepth(2)
                        .dataset(steps, bytes, (i, slot) -> slot.write(0, batch(i))).build()) {
            Linear model = new Linear(w, err, grad, 0.3f);
            s.fill(w, 0f);
            PipelineReport rep = loader.run(s, 4,                                     // the weights' stream; 4 bytes out: the loss
                    (stream, xy, out, i) -> model.step(stream, xy, out),
                    (i, out) -> loss[(int) i] = out.getFloat(0));                     // in step order, once downloaded
            long wall = rep.wallNanos();
            float first = loss[0] / BATCH;
            float last = loss[steps - 1] / BATCH;
            float[] learned = new float[DIM];
            s.copy(w, learned);
            float[] truth = trueWeights();
            double maxError = 0;
            for (int i = 0; i < DIM; i++) {
                maxError = Math.max(maxError, Math.abs(learned[i] - truth[i]));
            }
            if (!(last < first * 0.1)) {
                throw new IllegalStateException("training did not converge: loss " + first + " -> " + last);
            }
            r.line("%d SGD steps of a %d-feature linear model, batches of %d, through DeviceLoader.run:", steps, DIM, BATCH);
            r.line("  mean squared error %.4f -> %.4f; largest weight error %.4f; %.1f steps/s", first, last, maxError,
                    steps * 1e9 / wall);
            r.json.put("steps", steps).put("firstLoss", first).put("lastLoss", last).put("maxWeightError", maxError)
                    .put("stepsPerSec", steps * 1e9 / wall);
        }
    }
}
