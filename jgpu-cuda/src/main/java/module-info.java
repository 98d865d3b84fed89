/**
 * jgpu's CUDA backend, over JCuda's driver API, with cuBLAS over JCublas.
 *
 * <p>Exported: {@code org.jgpu.cuda} ({@link org.jgpu.cuda.CudaException}, the escape hatches to
 * native handles, where the bundled binaries are). The layer that calls JCuda
 * ({@code org.jgpu.cuda.driver}) and cuBLAS ({@code org.jgpu.cuda.blas}, found as a
 * {@code BlasProvider}) are not exported. The bundled kernels' binaries
 * ({@code org.jgpu.cuda.kernels}) are open, for code that loads them itself.
 *
 * <p>JCuda's jars declare no module name, so they are automatic modules named from their files:
 * {@code jcuda} and {@code jcublas}.
 */
module org.jgpu.cuda {
    requires org.jgpu;
    requires org.slf4j;
    requires jcuda;
    requires jcublas;

    exports org.jgpu.cuda;
    opens org.jgpu.cuda.kernels;

    provides org.jgpu.spi.BackendProvider with org.jgpu.cuda.CudaBackendProvider;
    provides org.jgpu.blas.BlasProvider with org.jgpu.cuda.blas.CublasBlasProvider;
}
