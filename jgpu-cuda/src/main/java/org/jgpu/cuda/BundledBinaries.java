package org.jgpu.cuda;

/**
 * Where the compiled bundled kernels ({@link org.jgpu.BundledKernels}) sit on the class path, for
 * code that loads them itself (raw JCuda, a benchmark): {@code ctx.loadModule(ModuleSource.bundled())}
 * needs neither.
 */
public final class BundledBinaries {
    /** Class-path resource of the bundled PTX. */
    public static final String PTX_RESOURCE = "org/jgpu/cuda/kernels/jgpu_kernels.ptx";

    /**
     * Class-path resource of the bundled fat binary: SASS for sm_80 and
     * sm_90 and the PTX for other GPUs, built from the same PTX.
     */
    public static final String FATBIN_RESOURCE = "org/jgpu/cuda/kernels/jgpu_kernels.fatbin";

    private BundledBinaries() {
    }
}
