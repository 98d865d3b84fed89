package org.jgpu.sim.internal.blas;

import java.util.Optional;
import org.jgpu.Stream;
import org.jgpu.blas.BlasBackend;
import org.jgpu.blas.BlasProvider;
import org.jgpu.sim.internal.SimBackendProvider;
import org.jgpu.spi.NativeStream;

/** BLAS on the host backend: the Java twins, always available. Registered through {@link java.util.ServiceLoader}. */
public final class SimBlasProvider implements BlasProvider {

    @Override
    public String backend() {
        return SimBackendProvider.NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public BlasBackend open(Stream stream, NativeStream nativeStream) {
        return new SimBlas(stream);
    }
}
