package org.jgpu.blas;

import java.util.Optional;
import org.jgpu.Stream;
import org.jgpu.spi.NativeStream;

/**
 * BLAS for one device backend, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.jgpu.blas.BlasProvider}). {@link Blas} checks that it is open
 * and the shapes, and keeps one per stream; a provider only makes the backend's calls.
 */
public interface BlasProvider {

    /** @return the backend it serves, as {@link org.jgpu.DeviceInfo#backend()} names it, e.g. {@code "cuda"} */
    String backend();

    /**
     * Whether BLAS can be used on the backend here, without a device. Must not throw, and
     * should be cheap after the first call: {@link Blas#unavailableReason(String)} asks it.
     *
     * @return empty if it can be used, else one line saying why not and what to do
     */
    Optional<String> unavailableReason();

    /**
     * Makes the backend's BLAS for a stream; called once per stream (and again after an early
     * {@link Blas#close()}), while the stream is kept from closing.
     *
     * @param stream a stream of the backend this provider serves (not to be kept: see
     *               {@link BlasBackend})
     * @param nativeStream its backend stream, for a library handle to bind to
     * @return the stream's BLAS, closed by {@link Blas#close()} or with the stream
     * @throws org.jgpu.BackendUnavailableException if BLAS cannot be used here, with the
     *         {@link #unavailableReason()}
     * @throws org.jgpu.GpuException if the library cannot make a handle
     */
    BlasBackend open(Stream stream, NativeStream nativeStream);
}
