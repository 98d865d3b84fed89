package org.jgpu.sim.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;

/**
 * Memory of the host backend: a direct buffer standing for device or pinned host memory.
 *
 * <p>Freeing lets go of the buffer. A closed jgpu buffer object keeps its memory object
 * reachable, so holding the buffer here until then would keep Java's direct memory in use for
 * as long as the user keeps the closed object; without it, the collector can reclaim the memory.
 */
final class SimMemory implements NativeMemory {
    private static final AtomicLong IDS = new AtomicLong();

    private final SimDevice device;
    private final long size;
    private final boolean host;
    private final long id = IDS.incrementAndGet();
    /** The memory, until freed; taken exactly once, so that it is given back (or pooled) once. */
    private final AtomicReference<ByteBuffer> bytes;

    SimMemory(SimDevice device, ByteBuffer bytes, boolean host) {
        this.device = device;
        this.size = bytes.capacity();
        this.host = host;
        this.bytes = new AtomicReference<>(bytes.order(ByteOrder.nativeOrder()));
    }

    /**
     * A view of part of the memory.
     *
     * @return a native-order view of {@code [offset, offset + length)}
     * @throws IllegalStateException naming this memory if it was freed
     */
    ByteBuffer view(long offset, long length) {
        return live().duplicate().position((int) offset).limit((int) (offset + length)).slice().order(ByteOrder.nativeOrder());
    }

    private ByteBuffer live() {
        ByteBuffer b = bytes.get();
        if (b == null) {
            throw new IllegalStateException(this + " was used after it was freed: its buffer was closed while this"
                    + " work was being enqueued; close a buffer only once no thread enqueues work on it");
        }
        return b;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isHost() {
        return host;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException naming this memory if it was freed
     */
    @Override
    public ByteBuffer hostView() {
        if (!host) {
            throw new UnsupportedOperationException("device memory has no host view");
        }
        return view(0, size);
    }

    @Override
    public void free() {
        if (bytes.getAndSet(null) != null && !host) {
            device.release(size);
        }
    }

    @Override
    public void freeAsync(NativeStream stream) {
        // stream-ordered memory goes back to the device's pool, as with cuMemFreeAsync; this
        // object lets go of it first, so it can never touch the buffer's next owner's data
        // a host step in stream order, as the driver's free is
        stream.hostCallback(() -> {
            ByteBuffer b = bytes.getAndSet(null);
            if (b != null) {
                device.release(size);
                device.recycle(b);
            }
        });
    }

    @Override
    public String toString() {
        return (host ? "pinned host memory #" : "device memory #") + id + " (" + size + " bytes) of the host backend";
    }
}
