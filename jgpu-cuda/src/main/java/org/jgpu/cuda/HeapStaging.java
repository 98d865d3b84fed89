package org.jgpu.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;
import org.jgpu.cuda.driver.Memory;

/**
 * Heap copies through pinned memory, in chunks of at most {@value #CHUNK} bytes, with a chunk
 * taken from the device's {@link StagingPool} for the copy and given back after it.
 */
final class HeapStaging {
    /** The largest staging chunk. */
    static final int CHUNK = StagingPool.CHUNK;

    /** A pinned chunk and its host view. */
    record Chunk(Pointer pinned, ByteBuffer view) {
    }

    /** The driver side of a device's staging pool; the caller binds the context. */
    static final StagingPool.Ops<Chunk> OPS = new StagingPool.Ops<>() {
        @Override
        public Chunk allocate(int bytes) {
            Pointer p = Memory.allocHost(bytes, false, false, false);
            return new Chunk(p, p.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder()));
        }

        @Override
        public int capacity(Chunk chunk) {
            return chunk.view().capacity();
        }

        @Override
        public void free(Chunk chunk) {
            Memory.freeHost(chunk.pinned());
        }
    };

    private HeapStaging() {
    }

    /**
     * Copies between heap bytes (position to limit) and device memory, ordered after the
     * stream's earlier work; returns when done.
     *
     * @param stream the stream
     * @param pool the device's staging pool
     * @param heap the heap bytes; its position and limit are left as they are
     * @param m device memory
     * @param offset byte offset in m
     * @param toMemory true for heap to device
     * @throws org.jgpu.cuda.CudaException if a copy cannot be enqueued
     * @throws org.jgpu.AsyncOperationException if the stream's work failed
     */
    static void copy(CudaStream stream, StagingPool<Chunk> pool, ByteBuffer heap, CudaMemory m, long offset,
            boolean toMemory) {
        ByteBuffer rest = heap.duplicate();
        Chunk c = pool.take(rest.remaining());
        try {
            long moved = 0;
            while (rest.hasRemaining()) {
                int n = Math.min(rest.remaining(), c.view().capacity());
                ByteBuffer part = rest.duplicate();
                part.limit(part.position() + n);
                ByteBuffer st = c.view().duplicate();
                st.clear().limit(n);
                if (toMemory) {
                    st.put(part);
                    Memory.copyHtoDAsync(m.deviceAt(offset + moved), c.pinned(), n, stream.handle, stream);
                    stream.synchronizeForCopy();   // the chunk is on the device; the staging is free again
                } else {
                    Memory.copyDtoHAsync(c.pinned(), m.deviceAt(offset + moved), n, stream.handle, stream);
                    stream.synchronizeForCopy();
                    part.put(st);
                }
                rest.position(rest.position() + n);
                moved += n;
            }
        } finally {
            // also after a failure: an enqueue that failed copies nothing, and a failed
            // synchronize returns once the stream's work has ended
            pool.give(c);
        }
    }
}
