package org.jgpu.host.kernels;

import java.nio.FloatBuffer;
import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.KernelSignature;
import org.jgpu.host.HostDeviceModel;
import org.jgpu.host.KernelCall;
import org.jgpu.host.KernelTwin;

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
        return List.of(new VectorAdd(), new Saxpy(), new Scale(), new Spin());
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
        public long modelledNanos(KernelCall call, HostDeviceModel model) {
            return model.deviceNanos(12L * Math.max(0, call.intArg(3)));
        }
    }

    /** {@code y[i] = a * x[i] + y[i]} */
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
                y.put(i, a * x.get(i) + y.get(i));
            }
        }

        @Override
        public long modelledNanos(KernelCall call, HostDeviceModel model) {
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
        public long modelledNanos(KernelCall call, HostDeviceModel model) {
            return model.deviceNanos(8L * Math.max(0, call.intArg(2)));
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
        public long modelledNanos(KernelCall call, HostDeviceModel model) {
            return Math.max(0, call.longArg(0));
        }
    }
}
