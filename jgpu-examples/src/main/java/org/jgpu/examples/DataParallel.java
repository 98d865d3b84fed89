package org.jgpu.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.Kernel;
import org.jgpu.KernelModule;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.blas.Blas;
import org.jgpu.blas.Transpose;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;
import org.jgpu.trace.Tracing;

/**
 * Data-parallel SGD of a linear model ({@value #FEATURES} features to {@value #OUTPUTS} outputs,
 * mean squared error) on the first {@code n} devices of a {@link DeviceGroup}: every device holds
 * a replica of the weights, uploads its shard of each global batch, computes its part of the
 * gradient on its own stream, the gradients are summed by {@link DeviceGroup#allReduceSum}, and
 * every device applies the same update. With one device it is plain SGD on the whole batch: the
 * baseline the replicas must agree with.
 */
final class DataParallel {
    static final int FEATURES = 16;
    static final int OUTPUTS = 4;
    static final int WEIGHTS = FEATURES * OUTPUTS;
    static final float LEARNING_RATE = 0.5f;
    /** Steps enqueued ahead of the last one seen complete: enough to keep every device fed. */
    private static final int IN_FLIGHT = 2;

    private DataParallel() {
    }

    /**
     * The global batches of a run, made on the host before it: inputs drawn from N(0, 1),
     * targets from fixed true weights plus a little noise.
     *
     * @param batch samples per global batch
     * @param x per step, batch x FEATURES inputs, row-major
     * @param y per step, batch x OUTPUTS targets, row-major
     * @param truth the true weights, FEATURES x OUTPUTS, row-major
     */
    record Dataset(int batch, float[][] x, float[][] y, float[] truth) {
        static Dataset generate(int steps, int batch) {
            float[] truth = new float[WEIGHTS];
            for (int i = 0; i < WEIGHTS; i++) {
                truth[i] = (float) Math.sin(i + 1);
            }
            Random rnd = new Random(42);
            float[][] x = new float[steps][batch * FEATURES];
            float[][] y = new float[steps][batch * OUTPUTS];
            for (int t = 0; t < steps; t++) {
                for (int r = 0; r < batch; r++) {
                    for (int c = 0; c < FEATURES; c++) {
                        x[t][r * FEATURES + c] = (float) rnd.nextGaussian();
                    }
                    for (int o = 0; o < OUTPUTS; o++) {
                        float v = 0.01f * (float) rnd.nextGaussian();
                        for (int c = 0; c < FEATURES; c++) {
                            v += x[t][r * FEATURES + c] * truth[c * OUTPUTS + o];
                        }
                        y[t][r * OUTPUTS + o] = v;
                    }
                }
            }
            return new Dataset(batch, x, y, truth);
        }

        int steps() {
            return x.length;
        }

        /** @return the largest |w - truth| */
        double error(float[] w) {
            return maxAbsDifference(w, truth);
        }
    }

    /**
     * One run.
     *
     * @param devices devices it trained on
     * @param steps steps timed
     * @param samples samples of the timed steps, all devices together
     * @param nanos device time of the timed steps: on gpu0's timing events, from the end of the
     *        warm-up to the end of every device's last step
     * @param weights each device's final weights, in device order
     * @param timeline every device's traced work, the warm-up included
     */
    record Run(int devices, int steps, long samples, long nanos, List<float[]> weights, Timeline timeline) {
        double samplesPerSecond() {
            return samples * 1e9 / Math.max(1, nanos);
        }
    }

    /** @return the largest |a[i] - b[i]| */
    static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /**
     * Trains from zero weights on every device of the group: {@code warmUp} steps untimed, then
     * the rest timed.
     *
     * @param group the devices, whose contexts trace ({@link org.jgpu.Diagnostic#TIMELINE}); one for the baseline
     * @param lanes the name of each device's stream, which its timeline rows carry
     * @param data the global batches, one per step
     * @param warmUp steps first run untimed (the host code compiled, pools and threads made), fewer than data's
     * @param profile the stand-in work of each step
     * @param bar progress, per step completed
     * @return the run
     */
    static Run train(DeviceGroup group, List<String> lanes, Dataset data, int warmUp, ParallelProfile profile,
            ProgressBar bar) {
        int devices = group.size();
        List<Replica> replicas = new ArrayList<>(devices);
        Set<EventOption> timing = EnumSet.of(EventOption.TIMING);
        try (Event start = group.context(0).createEvent(timing); Event stop = group.context(0).createEvent(timing)) {
            long gradientFloats = WEIGHTS + profile.extraGradientFloats();
            for (int i = 0; i < devices; i++) {
                int from = (int) ((long) data.batch() * i / devices);
                int to = (int) ((long) data.batch() * (i + 1) / devices);
                replicas.add(new Replica(group.context(i), lanes.get(i), from, to - from, gradientFloats));
            }
            // every device's first traced operation enqueued back to back, on idle devices: each
            // context's timeline counts from its first, so this puts the devices on one time axis
            for (Replica r : replicas) {
                r.initialize();
            }
            new Trainer(group, replicas, data, profile, warmUp, start).steps(bar);
            Stream first = replicas.get(0).stream;
            afterAll(replicas);
            first.record(stop);
            long nanos = stop.elapsedSince(start).toNanos();
            List<float[]> weights = new ArrayList<>(devices);
            List<Span> spans = new ArrayList<>();
            for (Replica r : replicas) {
                float[] w = new float[WEIGHTS];
                r.stream.copy(r.w, w);
                weights.add(w);
                spans.addAll(Tracing.timeline(r.ctx).spans());
            }
            int timed = data.steps() - warmUp;
            return new Run(devices, timed, (long) timed * data.batch(), nanos, weights, new Timeline(spans));
        } finally {
            for (Replica r : replicas) {
                r.close();
            }
        }
    }

    /** Makes gpu0's stream wait for every other device's work so far: an event of gpu0 recorded next marks the end of all. */
    private static void afterAll(List<Replica> replicas) {
        Stream first = replicas.get(0).stream;
        for (Replica r : replicas.subList(1, replicas.size())) {
            first.waitFor(r.stream.record());   // a wait across devices
        }
    }

    /** Enqueues steps on every replica, in lockstep, at most {@link #IN_FLIGHT} steps ahead of the devices. */
    private record Trainer(DeviceGroup group, List<Replica> replicas, Dataset data, ParallelProfile profile, int warmUp,
            Event start) {
        void steps(ProgressBar bar) {
            List<DeviceBuffer> gradients = replicas.stream().map(r -> r.grad).toList();
            List<Stream> streams = replicas.stream().map(r -> r.stream).toList();
            int steps = data.steps();
            Event[] done = new Event[steps];
            float invBatch = 1f / data.batch();
            for (int t = 0; t < steps; t++) {
                if (t == warmUp) {
                    afterAll(replicas);
                    streams.get(0).record(start);
                }
                for (Replica r : replicas) {
                    r.forwardBackward(data, t, invBatch, profile.computeNanosPerSample());
                }
                // each gradient is already over 1/B: the sum is the batch's mean gradient (a group of one: no work)
                group.allReduceSum(gradients, streams);
                for (Replica r : replicas) {
                    r.update();
                }
                done[t] = streams.get(0).record();
                if (t >= IN_FLIGHT) {
                    seen(done[t - IN_FLIGHT], t - IN_FLIGHT, steps, bar);
                }
            }
            for (int t = Math.max(0, steps - IN_FLIGHT); t < steps; t++) {
                seen(done[t], t, steps, bar);
            }
            bar.done();
        }

        private static void seen(Event step, int t, int steps, ProgressBar bar) {
            step.synchronize();
            if (bar.enabled()) {
                bar.update((t + 1.0) / steps, (t + 1) + "/" + steps + " steps");
            }
        }
    }

    /** One device's replica: its stream, the weights, its shard of the batch and scratch. */
    private static final class Replica implements AutoCloseable {
        final Context ctx;
        final Stream stream;
        final DeviceBuffer w;
        final DeviceBuffer grad;
        private final KernelModule module;
        private final Kernel spin;
        private final DeviceBuffer x;
        private final DeviceBuffer y;
        private final DeviceBuffer err;
        private final DeviceBuffer gradW;
        private final int from;
        private final int rows;

        Replica(Context ctx, String lane, int from, int rows, long gradientFloats) {
            this.ctx = ctx;
            this.from = from;
            this.rows = rows;
            this.stream = ctx.createStream(lane);
            this.module = ctx.loadModule(ModuleSource.bundled());
            this.spin = module.kernel(BundledKernels.SPIN);
            this.w = ctx.allocDevice(4L * WEIGHTS, lane + " weights");
            this.x = ctx.allocDevice(4L * rows * FEATURES, lane + " inputs");
            this.y = ctx.allocDevice(4L * rows * OUTPUTS, lane + " targets");
            this.err = ctx.allocDevice(4L * rows * OUTPUTS, lane + " errors");
            this.grad = ctx.allocDevice(4L * gradientFloats, lane + " gradient");
            this.gradW = grad.slice(0, 4L * WEIGHTS);
        }

        /** Zero weights and gradient: the stand-in gradient past the weights' stays zero, a sum of zeros. */
        void initialize() {
            stream.fill(w, 0f);
            stream.fill(grad, 0f);
        }

        /** Uploads the shard of step t and enqueues the gradient of the mean squared error over the global batch. */
        void forwardBackward(Dataset d, int t, float invBatch, long computeNanosPerSample) {
            stream.upload(d.x()[t], from * FEATURES, rows * FEATURES, x);
            stream.upload(d.y()[t], from * OUTPUTS, rows * OUTPUTS, y);
            Blas blas = Blas.on(stream);
            blas.sgemm(Transpose.NONE, Transpose.NONE, rows, OUTPUTS, FEATURES, 1f, x, w, 0f, err);            // X W
            blas.saxpy(rows * OUTPUTS, -1f, y, err);                                                           // X W - Y
            blas.sgemm(Transpose.TRANSPOSE, Transpose.NONE, FEATURES, OUTPUTS, rows, invBatch, x, err, 0f, gradW); // X^T err / B
            if (computeNanosPerSample > 0) {
                stream.launch(spin, LaunchConfig.forElements(1), rows * computeNanosPerSample);
            }
        }

        /** w -= lr * gradient: the same update on every device, from the same summed gradient. */
        void update() {
            Blas.on(stream).saxpy(WEIGHTS, -LEARNING_RATE, gradW, w);
        }

        /** Frees the replica's memory and stream (each waits for its work) and its module. */
        @Override
        public void close() {
            for (DeviceBuffer b : List.of(grad, err, y, x, w)) {
                b.close();
            }
            stream.close();
            module.close();
        }
    }
}
