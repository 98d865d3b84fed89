package org.jgpu;

/**
 * Settings that only one backend understands, handed to it when a context opens on it: a
 * strategy object, as {@code HttpClient.Builder.proxy(ProxySelector)} takes one, so that
 * {@link ContextOptions} names no backend. The host backend's is
 * {@link org.jgpu.sim.EngineModel}.
 *
 * <pre>{@code
 * Context ctx = Context.create(ContextOptions.builder()
 *         .backend("host").configure(EngineModel.builder().concurrentKernels(8).build()).build());
 * }</pre>
 */
public interface BackendSettings {

    /** @return the name of the backend these settings are for, e.g. {@code "host"} */
    String backend();
}
