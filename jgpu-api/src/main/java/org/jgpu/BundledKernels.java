package org.jgpu;

import java.util.List;

/**
 * The kernels bundled with jgpu: their names and contracts. CUDA C sources are in
 * {@code kernels/}; the CUDA backend loads their compiled code, the host backend runs their Java twins.
 *
 * <pre>{@code
 * KernelModule m = ctx.loadModule(ModuleSource.bundled());
 * stream.launch(m.kernel(BundledKernels.SAXPY), LaunchConfig.forElements(n), 2.0f, x, y, n);
 * }</pre>
 *
 * <p>Every kernel uses a grid-stride loop, so any launch configuration covers all elements.
 */
public final class BundledKernels {
    /** {@code vector_add(const float* a, const float* b, float* c, int n)}: c = a + b */
    public static final String VECTOR_ADD = "vector_add";
    /**
     * {@code accumulate(float* acc, const float* x, int n)}: acc = acc + x, the reduction step of
     * {@link DeviceGroup#allReduceSum}
     */
    public static final String ACCUMULATE = "accumulate";
    /** {@code saxpy(float a, const float* x, float* y, int n)}: y = a * x + y */
    public static final String SAXPY = "saxpy";
    /** {@code scale(float* x, float factor, int n)}: x = factor * x */
    public static final String SCALE = "scale";
    /** {@code noop()}: does nothing; what a launch costs by itself */
    public static final String NOOP = "noop";
    /** {@code spin(long long ns)}: keeps the compute engine busy for {@code ns} nanoseconds */
    public static final String SPIN = "spin";
    /** {@code fma_loop(float* x, int n, int iters)}: x = fma(x, 0.999f, 0.001f), iters times */
    public static final String FMA_LOOP = "fma_loop";
    /**
     * {@code l2_distances(const float* queries, const float* base, float* out, int nq, int nb, int dim)}:
     * out[q * nb + b] = squared L2 distance of query q and base vector b
     */
    public static final String L2_DISTANCES = "l2_distances";
    /**
     * {@code topk_smallest(const float* dist, int* outIdx, float* outDist, int nq, int nb, int k)}:
     * per row of dist, the k smallest values ascending and their columns; k at most {@value #TOPK_MAX}
     */
    public static final String TOPK_SMALLEST = "topk_smallest";
    /** {@code bias_relu(float* x, const float* bias, int rows, int cols)}: x = max(0, x + bias[col]) */
    public static final String BIAS_RELU = "bias_relu";
    /**
     * {@code progress_loop(unsigned long long* progress, const int* cancel, long long steps, long long nsPerStep)}:
     * a long job writing its step count to progress[0], stopping early once cancel[0] != 0
     */
    public static final String PROGRESS_LOOP = "progress_loop";
    /** The largest k of {@link #TOPK_SMALLEST}. */
    public static final int TOPK_MAX = 64;

    private static final List<KernelSignature> CONTRACTS = List.of(
            KernelSignature.of(VECTOR_ADD, KernelParam.pointer("a", Access.READ), KernelParam.pointer("b", Access.READ),
                    KernelParam.pointer("c", Access.WRITE), KernelParam.scalar("n", ParamType.B32)),
            KernelSignature.of(ACCUMULATE, KernelParam.pointer("acc", Access.READ_WRITE),
                    KernelParam.pointer("x", Access.READ), KernelParam.scalar("n", ParamType.B32)),
            KernelSignature.of(SAXPY, KernelParam.scalar("a", ParamType.F32), KernelParam.pointer("x", Access.READ),
                    KernelParam.pointer("y", Access.READ_WRITE), KernelParam.scalar("n", ParamType.B32)),
            KernelSignature.of(SCALE, KernelParam.pointer("x", Access.READ_WRITE), KernelParam.scalar("factor", ParamType.F32),
                    KernelParam.scalar("n", ParamType.B32)),
            KernelSignature.of(NOOP),
            KernelSignature.of(SPIN, KernelParam.scalar("ns", ParamType.B64)),
            KernelSignature.of(FMA_LOOP, KernelParam.pointer("x", Access.READ_WRITE), KernelParam.scalar("n", ParamType.B32),
                    KernelParam.scalar("iters", ParamType.B32)),
            KernelSignature.of(L2_DISTANCES, KernelParam.pointer("queries", Access.READ),
                    KernelParam.pointer("base", Access.READ), KernelParam.pointer("out", Access.WRITE),
                    KernelParam.scalar("nq", ParamType.B32), KernelParam.scalar("nb", ParamType.B32),
                    KernelParam.scalar("dim", ParamType.B32)),
            KernelSignature.of(TOPK_SMALLEST, KernelParam.pointer("dist", Access.READ),
                    KernelParam.pointer("outIdx", Access.WRITE), KernelParam.pointer("outDist", Access.WRITE),
                    KernelParam.scalar("nq", ParamType.B32), KernelParam.scalar("nb", ParamType.B32),
                    KernelParam.scalar("k", ParamType.B32)),
            KernelSignature.of(BIAS_RELU, KernelParam.pointer("x", Access.READ_WRITE), KernelParam.pointer("bias", Access.READ),
                    KernelParam.scalar("rows", ParamType.B32), KernelParam.scalar("cols", ParamType.B32)),
            KernelSignature.of(PROGRESS_LOOP, KernelParam.pointer("progress", Access.WRITE),
                    KernelParam.pointer("cancel", Access.READ), KernelParam.scalar("steps", ParamType.B64),
                    KernelParam.scalar("nsPerStep", ParamType.B64)));

    private BundledKernels() {
    }

    /** @return the contract of every bundled kernel: names, parameter types, buffer access */
    public static List<KernelSignature> contracts() {
        return CONTRACTS;
    }

    /**
     * @param name a kernel name
     * @return its contract, or null if it is not bundled
     */
    public static KernelSignature contract(String name) {
        for (KernelSignature s : CONTRACTS) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
