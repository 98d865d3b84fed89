/**
 * jgpu's API, its backend SPI, pipelines, tracing and the host backend (a simulated device).
 *
 * <p>Exported: the API ({@code org.jgpu}), BLAS on streams and its SPI ({@code org.jgpu.blas}), the backend SPI ({@code org.jgpu.spi}), pipelines
 * ({@code org.jgpu.pipeline}), tracing ({@code org.jgpu.trace}) and what users of the host
 * backend need ({@code org.jgpu.sim}: kernel twins and the engine model). The one implementation
 * of the API ({@code org.jgpu.internal}) and the simulator's machinery
 * ({@code org.jgpu.sim.internal}) are not exported.
 */
module org.jgpu {
    requires org.slf4j;
    // the host backend's memory accounting reads -XX:MaxDirectMemorySize
    requires jdk.management;

    exports org.jgpu;
    exports org.jgpu.spi;
    exports org.jgpu.blas;
    exports org.jgpu.pipeline;
    exports org.jgpu.trace;
    exports org.jgpu.sim;

    uses org.jgpu.spi.BackendProvider;
    uses org.jgpu.sim.KernelTwin;
    uses org.jgpu.blas.BlasProvider;

    provides org.jgpu.spi.BackendProvider with org.jgpu.sim.internal.SimBackendProvider;
    provides org.jgpu.blas.BlasProvider with org.jgpu.sim.internal.blas.SimBlasProvider;
    provides org.jgpu.sim.KernelTwin with org.jgpu.sim.internal.blas.BlasTwins.Sgemm,
            org.jgpu.sim.internal.blas.BlasTwins.Sgemv, org.jgpu.sim.internal.blas.BlasTwins.Saxpy,
            org.jgpu.sim.internal.blas.BlasTwins.Sdot;
}
