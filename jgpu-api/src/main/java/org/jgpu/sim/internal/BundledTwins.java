package org.jgpu.sim.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jgpu.BundledKernels;
import org.jgpu.KernelSignature;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;

/**
 * Java twins of the bundled kernels in {@code kernels/jgpu_kernels.cu}: same names, parameters
 * and results. Modelled times are memory-bound (bytes moved at device bandwidth), except
 * {@code spin}, which takes exactly the nanoseconds it is given.
 */
public final class BundledTwins {
    private BundledTwins() {
    }

    /** @return a twin of every bundled kernel */
    public static List<KernelTwin> all() {
        return List.of(new VectorAdd(), new Accumulate(), new Saxpy(), new Scale(), new Noop(), new Spin(), new FmaLoop(),
                new L2Distances(), new TopkSmallest(), new BiasRelu(), new ProgressLoop());
    }

    private abstract static class Twin implements KernelTwin {
        private final KernelSignature signature;

        Twin(String name) {
            this.signature = BundledKernels.contract(name);
        }

        @Override
        public KernelSignature signature() {
            return signature;
        }
    }

    /** {@code c[i] = a[i] + b[i]} */
    static final class VectorAdd extends Twin {
        VectorAdd() {
            super(BundledKernels.VECTOR_ADD);
        }

        @Override
        public void run(KernelCall call) {
            int n = call.intArg(3);
            for (int p = 0; p < 3; p++) {
                call.requireElements(p, n, 4);
            }
            FloatBuffer a = call.floats(0);
            FloatBuffer b = call.floats(1);
            FloatBuffer c = call.floats(2);
            for (int i = 0; i < n; i++) {
                c.put(i, a.get(i) + b.get(i));
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return model.deviceNanos(12L * Math.max(0, call.intArg(3)));
        }
    }

    /** {@code acc[i] += x[i]}: the kernel strides over the grid, so every element whatever the launch */
    static final class Accumulate extends Twin {
        Accumulate() {
            super(BundledKernels.ACCUMULATE);
        }

        @Override
        public void run(KernelCall call) {
            int n = call.intArg(2);
            call.requireElements(0, n, 4);
            call.requireElements(1, n, 4);
            FloatBuffer acc = call.floats(0);
            FloatBuffer x = call.floats(1);
            for (int i = 0; i < n; i++) {
                acc.put(i, acc.get(i) + x.get(i));
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return model.deviceNanos(12L * Math.max(0, call.intArg(2)));
        }
    }

    /** {@code y[i] = fma(a, x[i], y[i])}: one rounding, as the kernel's {@code __fmaf_rn} */
    static final class Saxpy extends Twin {
        Saxpy() {
            super(BundledKernels.SAXPY);
        }

        @Override
        public void run(KernelCall call) {
            float a = call.floatArg(0);
            int n = call.intArg(3);
            call.requireElements(1, n, 4);
            call.requireElements(2, n, 4);
            FloatBuffer x = call.floats(1);
            FloatBuffer y = call.floats(2);
            for (int i = 0; i < n; i++) {
                y.put(i, Math.fma(a, x.get(i), y.get(i)));
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return model.deviceNanos(12L * Math.max(0, call.intArg(3)));
        }
    }

    /** {@code x[i] = factor * x[i]} */
    static final class Scale extends Twin {
        Scale() {
            super(BundledKernels.SCALE);
        }

        @Override
        public void run(KernelCall call) {
            float factor = call.floatArg(1);
            int n = call.intArg(2);
            call.requireElements(0, n, 4);
            FloatBuffer x = call.floats(0);
            for (int i = 0; i < n; i++) {
                x.put(i, factor * x.get(i));
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return model.deviceNanos(8L * Math.max(0, call.intArg(2)));
        }
    }

    /** Nothing: a launch that costs only its launch. */
    static final class Noop extends Twin {
        Noop() {
            super(BundledKernels.NOOP);
        }

        @Override
        public void run(KernelCall call) {
            // nothing to do, by contract
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return 0;
        }
    }

    /** Busy for {@code ns} nanoseconds of simulated time; no memory touched. */
    static final class Spin extends Twin {
        Spin() {
            super(BundledKernels.SPIN);
        }

        @Override
        public void run(KernelCall call) {
            // the engine model holds the compute engine for the time; there is no data to touch
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return Math.max(0, call.longArg(0));
        }
    }

    /** {@code x[i] = fma(x[i], 0.999f, 0.001f)}, iters times: Math.fma rounds once, as fmaf does */
    static final class FmaLoop extends Twin {
        FmaLoop() {
            super(BundledKernels.FMA_LOOP);
        }

        @Override
        public void run(KernelCall call) {
            int n = call.intArg(1);
            int iters = call.intArg(2);
            call.requireElements(0, n, 4);
            FloatBuffer x = call.floats(0);
            for (int i = 0; i < n; i++) {
                float v = x.get(i);
                for (int k = 0; k < iters; k++) {
                    v = Math.fma(v, 0.999f, 0.001f);
                }
                x.put(i, v);
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            // memory time plus arithmetic at 1 fma per nanosecond per element and lane of 1024
            long n = Math.max(0, call.intArg(1));
            return model.deviceNanos(8L * n) + n * Math.max(0, call.intArg(2)) / 1024;
        }
    }

    /** squared L2 distances, accumulated over d in order with fma, as the kernel does */
    static final class L2Distances extends Twin {
        L2Distances() {
            super(BundledKernels.L2_DISTANCES);
        }

        @Override
        public void run(KernelCall call) {
            int nq = call.intArg(3);
            int nb = call.intArg(4);
            int dim = call.intArg(5);
            boolean none = (long) nq * nb == 0;   // no pair: the kernel reads no row either
            call.requireElements(0, none ? 0 : (long) nq * dim, 4);
            call.requireElements(1, none ? 0 : (long) nb * dim, 4);
            call.requireElements(2, (long) nq * nb, 4);
            FloatBuffer q = call.floats(0);
            FloatBuffer b = call.floats(1);
            FloatBuffer out = call.floats(2);
            for (int i = 0; i < nq; i++) {
                for (int j = 0; j < nb; j++) {
                    float acc = 0f;
                    for (int d = 0; d < dim; d++) {
                        float diff = q.get(i * dim + d) - b.get(j * dim + d);
                        acc = Math.fma(diff, diff, acc);
                    }
                    out.put(i * nb + j, acc);
                }
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            long nq = Math.max(0, call.intArg(3));
            long nb = Math.max(0, call.intArg(4));
            long dim = Math.max(0, call.intArg(5));
            return model.deviceNanos(4L * (nq * dim + nb * dim + nq * nb)) + nq * nb * dim / 4096;
        }
    }

    /** per row, the k smallest values ascending, ties to the smaller column; -1 / +inf pad */
    static final class TopkSmallest extends Twin {
        TopkSmallest() {
            super(BundledKernels.TOPK_SMALLEST);
        }

        @Override
        public void run(KernelCall call) {
            int nq = call.intArg(3);
            int nb = call.intArg(4);
            int k = call.intArg(5);
            if (k < 1 || k > BundledKernels.TOPK_MAX) {
                throw new IllegalArgumentException("topk_smallest: k must be in [1, " + BundledKernels.TOPK_MAX + "], got " + k);
            }
            call.requireElements(0, (long) nq * nb, 4);
            call.requireElements(1, (long) nq * k, 4);
            call.requireElements(2, (long) nq * k, 4);
            FloatBuffer dist = call.floats(0);
            IntBuffer outIdx = call.ints(1);
            FloatBuffer outDist = call.floats(2);
            float[] bestD = new float[k];
            int[] bestI = new int[k];
            for (int q = 0; q < nq; q++) {
                int count = 0;
                for (int b = 0; b < nb; b++) {
                    float d = dist.get(q * nb + b);
                    if (count == k && !(d < bestD[k - 1])) {
                        continue;
                    }
                    int pos = count < k ? count++ : k - 1;
                    while (pos > 0 && d < bestD[pos - 1]) {
                        bestD[pos] = bestD[pos - 1];
                        bestI[pos] = bestI[pos - 1];
                        pos--;
                    }
                    bestD[pos] = d;
                    bestI[pos] = b;
                }
                for (int j = 0; j < k; j++) {
                    outIdx.put(q * k + j, j < count ? bestI[j] : -1);
                    outDist.put(q * k + j, j < count ? bestD[j] : Float.POSITIVE_INFINITY);
                }
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return model.deviceNanos(4L * Math.max(0, call.intArg(3)) * Math.max(0, call.intArg(4)));
        }
    }

    /** {@code x = max(0, x + bias[col])} */
    static final class BiasRelu extends Twin {
        BiasRelu() {
            super(BundledKernels.BIAS_RELU);
        }

        @Override
        public void run(KernelCall call) {
            int rows = call.intArg(2);
            int cols = call.intArg(3);
            call.requireElements(0, (long) rows * cols, 4);
            call.requireElements(1, (long) rows * cols == 0 ? 0 : cols, 4);   // no element: no bias read
            FloatBuffer x = call.floats(0);
            FloatBuffer bias = call.floats(1);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    float v = x.get(r * cols + c) + bias.get(c);
                    x.put(r * cols + c, v > 0f ? v : 0f);
                }
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return model.deviceNanos(8L * Math.max(0, call.intArg(2)) * Math.max(0, call.intArg(3)));
        }
    }

    /** Steps in real time, publishing progress and reading the cancel flag as the kernel does. */
    static final class ProgressLoop extends Twin {
        private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
        private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

        /** How often a long step looks whether the device was lost meanwhile. */
        private static final long LOSS_CHECK_NANOS = 10_000_000;

        ProgressLoop() {
            super(BundledKernels.PROGRESS_LOOP);
        }

        @Override
        public void run(KernelCall call) {
            call.requireElements(0, 1, 8);
            call.requireElements(1, 1, 4);
            ByteBuffer progress = call.bytes(0);
            ByteBuffer cancel = call.bytes(1);
            long steps = call.longArg(2);
            long nsPerStep = call.longArg(3);
            for (long step = 1; step <= steps; step++) {
                if ((int) INTS.getVolatile(cancel, 0) != 0 || call.deviceLost()) {
                    break;   // a lost device stops its kernels: no more steps
                }
                long until = System.nanoTime() + nsPerStep;
                long left;
                while ((left = until - System.nanoTime()) > 0 && !call.deviceLost()) {
                    LockSupport.parkNanos(Math.min(left, LOSS_CHECK_NANOS));
                }
                if (call.deviceLost()) {
                    break;
                }
                LONGS.setVolatile(progress, 0, step);
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return SELF_TIMED;
        }
    }
}
