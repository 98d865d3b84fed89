package org.jgpu.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import org.jgpu.cuda.driver.Memory;

/**
 * The pinned memory one stream's heap copies go through, in chunks of at most
 * {@value #CHUNK} bytes: allocated at the first heap copy (no larger than it needs), grown up to
 * a chunk, freed when the stream is destroyed. Copies on one stream take turns with it.
 */
final class HeapStaging {
    /** The largest staging buffer: large enough to keep the copy engine busy, small enough to pin. */
    static final int CHUNK = 8 << 20;
    private static final int SMALLEST = 64 << 10;

    private final CudaStream stream;
    /** False for a stream never destroyed (the legacy stream): each copy frees what it used. */
    private final boolean keep;
    private Pointer pinned;
    private ByteBuffer view;

    HeapStaging(CudaStream stream, boolean keep) {
        this.stream = stream;
        this.keep = keep;
    }

    /**
     * Copies between heap bytes (position to limit) and device memory, ordered after the
     * stream's earlier work; returns when done.
     *
     * @param heap the heap bytes; its position and limit are left as they are
     * @param m device memory
     * @param offset byte offset in m
     * @param toMemory true for heap to device
     * @throws org.jgpu.CudaException if a copy cannot be enqueued
     * @throws org.jgpu.AsyncOperationException if the stream's work failed
     */
    synchronized void copy(ByteBuffer heap, CudaMemory m, long offset, boolean toMemory) {
        ByteBuffer rest = heap.duplicate();
        try {
            ensure(rest.remaining());
            long done = 0;
            while (rest.hasRemaining()) {
                int n = Math.min(rest.remaining(), view.capacity());
                ByteBuffer part = rest.duplicate();
                part.limit(part.position() + n);
                ByteBuffer st = view.duplicate();
                st.clear().limit(n);
                if (toMemory) {
                    st.put(part);
                    Memory.copyHtoDAsync(m.deviceAt(offset + done), pinned, n, stream.handle, stream);
                    stream.synchronizeForCopy();   // the chunk is on the device; the staging is free again
                } else {
                    Memory.copyDtoHAsync(pinned, m.deviceAt(offset + done), n, stream.handle, stream);
                    stream.synchronizeForCopy();
                    part.put(st);
                }
                rest.position(rest.position() + n);
                done += n;
            }
        } finally {
            if (!keep) {
                free();
            }
        }
    }

    /** Makes the staging buffer at least min(bytes, CHUNK) large. */
    private void ensure(int bytes) {
        int capped = Math.min(bytes, CHUNK);
        // a power of two at most CHUNK (itself one): no int overflow for the largest arrays
        int want = Math.max(SMALLEST, capped <= 1 ? 1 : Integer.highestOneBit(capped - 1) << 1);
        if (view != null && view.capacity() >= capped) {
            return;
        }
        free();
        pinned = Memory.allocHost(want, false, false, false);
        view = pinned.getByteBuffer(0, want).order(ByteOrder.nativeOrder());
    }

    /** Frees the staging buffer, if any (the stream's work using it is done). */
    synchronized void free() {
        if (pinned != null) {
            Pointer p = pinned;
            pinned = null;
            view = null;
            Memory.freeHost(p);
        }
    }
}
