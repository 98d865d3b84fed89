/**
 * jgpu's API, its backend SPI, pipelines, tracing and the host backend (a simulated device).
 *
 * <p>Exported: the API ({@code org.jgpu}), the backend SPI ({@code org.jgpu.spi}), pipelines
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
    exports org.jgpu.pipeline;
    exports org.jgpu.trace;
    exports org.jgpu.sim;

    uses org.jgpu.spi.BackendProvider;
    uses org.jgpu.sim.KernelTwin;

    provides org.jgpu.spi.BackendProvider with org.jgpu.sim.internal.SimBackendProvider;
}
