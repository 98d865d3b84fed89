package org.jgpu;

import java.time.Duration;

/**
 * A pool of pinned host buffers of one size, reused instead of pinned again: pinning memory is
 * slow (milliseconds for large buffers), so pin once and recycle.
 *
 * <pre>{@code
 * try (HostBufferPool pool = ctx.createHostPool(batchBytes, 4)) {
 *     try (HostBufferPool.Lease lease = pool.acquire()) {
 *         HostBuffer staging = lease.buffer();
 *         staging.write(0, batch);
 *         upload.copy(staging, device);
 *     }   // back in the pool; handed out again only once the upload is done
 * }
 * }</pre>
 *
 * <p>A buffer returned to the pool is handed out again only after the device work that used it
 * has finished, whatever the hazard mode. Thread-safe.
 */
public interface HostBufferPool extends AutoCloseable {

    /** @return the size of each buffer in bytes */
    long bufferBytes();

    /** @return the most buffers the pool pins */
    int capacity();

    /** @return buffers pinned so far */
    int pinned();

    /** A buffer on loan from the pool: closing it gives the buffer back. */
    interface Lease extends AutoCloseable {
        /**
         * @return the buffer; do not use it after closing the lease
         * @throws IllegalStateException if the lease is closed
         */
        HostBuffer buffer();

        /** Gives the buffer back; its pending work may still run. Closing twice does nothing. */
        @Override
        void close();
    }

    /**
     * Lends a buffer, pinning a new one while fewer than {@link #capacity()} exist, else
     * waiting for one to come back; then waits for device work that still uses it.
     *
     * @return the lease
     * @throws IllegalStateException if the pool is closed
     */
    Lease acquire();

    /**
     * Like {@link #acquire()}, giving up after {@code timeout}.
     *
     * @param timeout how long to wait for a buffer to come back
     * @return the lease, or null if none came back in time
     * @throws IllegalStateException if the pool is closed
     */
    Lease acquire(Duration timeout);

    /** Closes every buffer of the pool (waiting for their work), lent or not. */
    @Override
    void close();
}
