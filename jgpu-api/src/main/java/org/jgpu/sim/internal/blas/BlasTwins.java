package org.jgpu.sim.internal.blas;

import java.nio.FloatBuffer;
import org.jgpu.Access;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.ParamType;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;

/**
 * Java twins of the BLAS calls, run by the host backend. Row-major, single precision, summing in
 * order of k; modelled at 10 TFLOP/s plus memory time. The twins are listed in
 * {@code META-INF/services/org.jgpu.sim.KernelTwin}, so {@link org.jgpu.sim.KernelTwins} holds
 * them from the start, like the bundled kernels' twins.
 */
public final class BlasTwins {
    static final String SGEMM = "jgpu_blas_sgemm";
    static final String SGEMV = "jgpu_blas_sgemv";
    static final String SAXPY = "jgpu_blas_saxpy";
    static final String SDOT = "jgpu_blas_sdot";

    /** PTX declarations of the twins, so the host backend can load them as a module. */
    static final String DECLARATIONS = String.join("\n", ".version 9.0", ".target sm_75", ".address_size 64",
            ".visible .entry " + SGEMM + "(.param .u32 ta, .param .u32 tb, .param .u32 m, .param .u32 n, .param .u32 k,"
                    + " .param .f32 alpha, .param .u64 a, .param .u64 b, .param .f32 beta, .param .u64 c)", "{", "ret;", "}",
            ".visible .entry " + SGEMV + "(.param .u32 ta, .param .u32 m, .param .u32 n, .param .f32 alpha, .param .u64 a,"
                    + " .param .u64 x, .param .f32 beta, .param .u64 y)", "{", "ret;", "}",
            ".visible .entry " + SAXPY + "(.param .u32 n, .param .f32 alpha, .param .u64 x, .param .u64 y)", "{", "ret;", "}",
            ".visible .entry " + SDOT + "(.param .u32 n, .param .u64 x, .param .u64 y, .param .u64 result)", "{", "ret;", "}");

    private BlasTwins() {
    }

    private static KernelParam i(String name) {
        return KernelParam.scalar(name, ParamType.B32);
    }

    private static KernelParam f(String name) {
        return KernelParam.scalar(name, ParamType.F32);
    }

    private static long flopNanos(long flops) {
        return flops / 10_000;
    }

    /** The twin of {@code sgemm}; public for {@link java.util.ServiceLoader}. */
    public static final class Sgemm implements KernelTwin {
        @Override
        public KernelSignature signature() {
            return KernelSignature.of(SGEMM, i("ta"), i("tb"), i("m"), i("n"), i("k"), f("alpha"),
                    KernelParam.pointer("a", Access.READ), KernelParam.pointer("b", Access.READ), f("beta"),
                    KernelParam.pointer("c", Access.READ_WRITE));
        }

        @Override
        public void run(KernelCall call) {
            boolean ta = call.intArg(0) != 0;
            boolean tb = call.intArg(1) != 0;
            int m = call.intArg(2);
            int n = call.intArg(3);
            int k = call.intArg(4);
            float alpha = call.floatArg(5);
            float beta = call.floatArg(8);
            FloatBuffer a = call.floats(6);
            FloatBuffer b = call.floats(7);
            FloatBuffer c = call.floats(9);
            for (int r = 0; r < m; r++) {
                for (int col = 0; col < n; col++) {
                    float acc = 0f;
                    for (int x = 0; x < k; x++) {
                        float av = ta ? a.get(x * m + r) : a.get(r * k + x);
                        float bv = tb ? b.get(col * k + x) : b.get(x * n + col);
                        acc += av * bv;
                    }
                    float old = beta == 0f ? 0f : beta * c.get(r * n + col);
                    c.put(r * n + col, alpha * acc + old);
                }
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            long m = call.intArg(2);
            long n = call.intArg(3);
            long k = call.intArg(4);
            return model.deviceNanos(4 * (m * k + k * n + 2 * m * n)) + flopNanos(2 * m * n * k);
        }
    }

    /** The twin of {@code sgemv}; public for {@link java.util.ServiceLoader}. */
    public static final class Sgemv implements KernelTwin {
        @Override
        public KernelSignature signature() {
            return KernelSignature.of(SGEMV, i("ta"), i("m"), i("n"), f("alpha"), KernelParam.pointer("a", Access.READ),
                    KernelParam.pointer("x", Access.READ), f("beta"), KernelParam.pointer("y", Access.READ_WRITE));
        }

        @Override
        public void run(KernelCall call) {
            boolean ta = call.intArg(0) != 0;
            int m = call.intArg(1);
            int n = call.intArg(2);
            float alpha = call.floatArg(3);
            float beta = call.floatArg(6);
            FloatBuffer a = call.floats(4);
            FloatBuffer x = call.floats(5);
            FloatBuffer y = call.floats(7);
            int rows = ta ? n : m;
            int inner = ta ? m : n;
            for (int r = 0; r < rows; r++) {
                float acc = 0f;
                for (int j = 0; j < inner; j++) {
                    acc += (ta ? a.get(j * n + r) : a.get(r * n + j)) * x.get(j);
                }
                y.put(r, alpha * acc + (beta == 0f ? 0f : beta * y.get(r)));
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            long m = call.intArg(1);
            long n = call.intArg(2);
            return model.deviceNanos(4 * (m * n + m + n)) + flopNanos(2 * m * n);
        }
    }

    /** The twin of {@code saxpy}; public for {@link java.util.ServiceLoader}. */
    public static final class Saxpy implements KernelTwin {
        @Override
        public KernelSignature signature() {
            return KernelSignature.of(SAXPY, i("n"), f("alpha"), KernelParam.pointer("x", Access.READ),
                    KernelParam.pointer("y", Access.READ_WRITE));
        }

        @Override
        public void run(KernelCall call) {
            int n = call.intArg(0);
            float alpha = call.floatArg(1);
            FloatBuffer x = call.floats(2);
            FloatBuffer y = call.floats(3);
            for (int j = 0; j < n; j++) {
                y.put(j, alpha * x.get(j) + y.get(j));
            }
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return model.deviceNanos(12L * call.intArg(0));
        }
    }

    /** The twin of {@code sdot}; public for {@link java.util.ServiceLoader}. */
    public static final class Sdot implements KernelTwin {
        @Override
        public KernelSignature signature() {
            return KernelSignature.of(SDOT, i("n"), KernelParam.pointer("x", Access.READ), KernelParam.pointer("y", Access.READ),
                    KernelParam.pointer("result", Access.WRITE));
        }

        @Override
        public void run(KernelCall call) {
            int n = call.intArg(0);
            FloatBuffer x = call.floats(1);
            FloatBuffer y = call.floats(2);
            float acc = 0f;
            for (int j = 0; j < n; j++) {
                acc += x.get(j) * y.get(j);
            }
            call.floats(3).put(0, acc);
        }

        @Override
        public long modelledNanos(KernelCall call, EngineModel model) {
            return model.deviceNanos(8L * call.intArg(0));
        }
    }
}
