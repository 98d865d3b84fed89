package org.jgpu.cuda.blas;

import java.util.Optional;
import org.jgpu.Stream;
import org.jgpu.blas.BlasBackend;
import org.jgpu.blas.BlasProvider;
import org.jgpu.cuda.CudaBackendProvider;
import org.jgpu.spi.NativeStream;

/**
 * BLAS on the CUDA backend: cuBLAS through JCublas, usable where JCublas and the cuBLAS library it
 * links against load. Registered through {@link java.util.ServiceLoader}.
 */
public final class CublasBlasProvider implements BlasProvider {

    @Override
    public String backend() {
        return CudaBackendProvider.NAME;
    }

    /** {@inheritDoc} Loads JCublas on the first call in the JVM; later calls give the same answer. */
    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(CublasLibrary.status().reason());
    }

    @Override
    public BlasBackend open(Stream stream, NativeStream nativeStream) {
        return CublasBlas.create(nativeStream);
    }
}
