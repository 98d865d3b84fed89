package org.jgpu.spi;

import java.nio.ByteBuffer;

/** A backend's allocation of device or host memory. */
public interface NativeMemory {

    /** @return size in bytes */
    long size();

    /** @return true for page-locked host memory the CPU can read and write */
    boolean isHost();

    /**
     * @return the whole host memory as a direct buffer (position 0, native order)
     * @throws UnsupportedOperationException for device memory or host memory over 2 GiB - 1
     */
    ByteBuffer hostView();

    /** Frees the memory now (pending work that uses it must be done). */
    void free();

    /**
     * Frees stream-ordered memory after the work already enqueued on {@code stream}.
     *
     * @param stream the stream that orders the free
     */
    void freeAsync(NativeStream stream);
}
