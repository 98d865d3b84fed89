package org.jgpu;

import java.util.List;

/**
 * The kernels bundled with jgpu: their names and contracts. CUDA C sources are in
 * {@code kernels/}; the CUDA backend loads their PTX, the host backend runs their Java twins.
 *
 * <pre>{@code
 * Module m = ctx.loadModule(ModuleSource.bundled());
 * stream.launch(m.kernel(BundledKernels.SAXPY), LaunchConfig.forElements(n), 2.0f, x, y, n);
 * }</pre>
 *
 * <p>Every kernel uses a grid-stride loop, so any launch configuration covers all elements.
 */
public final class BundledKernels {
    /** {@code vector_add(const float* a, const float* b, float* c, int n)}: c = a + b */
    public static final String VECTOR_ADD = "vector_add";
    /** {@code saxpy(float a, const float* x, float* y, int n)}: y = a * x + y */
    public static final String SAXPY = "saxpy";
    /** {@code scale(float* x, float factor, int n)}: x = factor * x */
    public static final String SCALE = "scale";
    /** {@code spin(long long ns)}: keeps the compute engine busy for {@code ns} nanoseconds */
    public static final String SPIN = "spin";

    /** Class-path resource of the bundled PTX (in the jgpu-cuda module). */
    public static final String PTX_RESOURCE = "org/jgpu/cuda/kernels/jgpu_kernels.ptx";

    private static final List<KernelSignature> CONTRACTS = List.of(
            KernelSignature.of(VECTOR_ADD, KernelParam.pointer("a", Access.READ), KernelParam.pointer("b", Access.READ),
                    KernelParam.pointer("c", Access.WRITE), KernelParam.scalar("n", ParamType.B32)),
            KernelSignature.of(SAXPY, KernelParam.scalar("a", ParamType.F32), KernelParam.pointer("x", Access.READ),
                    KernelParam.pointer("y", Access.READ_WRITE), KernelParam.scalar("n", ParamType.B32)),
            KernelSignature.of(SCALE, KernelParam.pointer("x", Access.READ_WRITE), KernelParam.scalar("factor", ParamType.F32),
                    KernelParam.scalar("n", ParamType.B32)),
            KernelSignature.of(SPIN, KernelParam.scalar("ns", ParamType.B64)));

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
