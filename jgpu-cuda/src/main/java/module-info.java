/**
 * jgpu's CUDA backend, over JCuda's driver API, with cuBLAS over JCublas.
 *
 * <p>Exported: {@code org.jgpu.cuda} ({@link org.jgpu.cuda.CudaException}, the escape hatches to
 * native handles, where the bundled binaries are). The layer that calls JCuda
 * ({@code org.jgpu.cuda.driver}) is not exported. The bundled kernels' binaries
 * ({@code org.jgpu.cuda.kernels}) are open, for code that loads them itself.
 */
module org.jgpu.cuda {
    requires org.jgpu;
    requires org.slf4j;
    requires jcuda;
    requires jcublas;

    exports org.jgpu.cuda;
    exports org.jgpu.cuda.blas;
    opens org.jgpu.cuda.kernels;

    provides org.jgpu.spi.BackendProvider with org.jgpu.cuda.CudaBackendProvider;
}
