package org.jgpu.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import org.jgpu.cuda.driver.Events;
import org.jgpu.cuda.driver.Driver;
import org.jgpu.cuda.driver.Memory;
import org.jgpu.cuda.driver.Streams;

/**
 * The driver side of a device's {@link BlockPool}: blocks from the stream-ordered allocator
 * ({@code cuMemAllocAsync} on the default pool), freed with {@code cuMemFreeAsync}, so that no
 * allocation or free of device memory synchronizes the device.
 *
 * <p>Memory for use on any stream ({@code allocDevice}) and idle frees go through an allocator
 * stream of this device (non-blocking, so the legacy default stream does not serialize with
 * it), which waits for nothing else, so that {@code allocDevice}, which synchronizes it, waits
 * for its own allocation only. Frees that must wait for another stream's event (emptying the
 * cache when memory is short, and at close) go through a second stream, the trim stream, which
 * only {@link #settle} (the retry after running out of memory, and a context's synchronize) and
 * close wait for. On a device without memory pools
 * ({@code CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED} 0) blocks come from {@code cuMemAlloc} and
 * are freed with {@code cuMemFree} once their users are done, which synchronizes. The caller
 * binds the context first.
 */
final class CudaBlocks implements BlockPool.Ops<CUdeviceptr, CudaStream, CUevent> {
    private static final String ALLOCATOR = "the allocator stream";
    private static final String TRIM = "the trim stream";

    private final CudaDevice device;
    private final boolean pools;
    private CUstream allocator;
    private CUstream trim;
    private boolean closed;

    /**
     * @param device the device, for messages
     * @param pools whether the device has the stream-ordered allocator
     */
    CudaBlocks(CudaDevice device, boolean pools) {
        this.device = device;
        this.pools = pools;
    }

    /** @return this device's allocator stream, made on first use */
    private synchronized CUstream allocator() {
        if (allocator == null) {
            allocator = Streams.create(true, 0, "allocator");
        }
        return allocator;
    }

    /** @return this device's trim stream, made on first use */
    private synchronized CUstream trim() {
        if (trim == null) {
            trim = Streams.create(true, 0, "trim");
        }
        return trim;
    }

    @Override
    public CUdeviceptr allocate(long bytes, CudaStream stream) {
        if (!pools) {
            return Memory.alloc(bytes);
        }
        if (stream != null) {
            CUdeviceptr[] p = new CUdeviceptr[1];
            stream.inOrder(() -> p[0] = Memory.allocAsync(bytes, stream.handle, stream));
            return p[0];
        }
        CUstream s = allocator();
        CUdeviceptr p = Memory.allocAsync(bytes, s, ALLOCATOR);
        try {
            // usable on every stream once the allocation has run
            Streams.synchronize(s, ALLOCATOR);
        } catch (CudaException e) {
            try {
                Memory.free(p);
            } catch (CudaException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return p;
    }

    @Override
    public boolean isOutOfMemory(RuntimeException e) {
        return e instanceof CudaException c && Driver.isOutOfMemory(c.code());
    }

    @Override
    public void free(CUdeviceptr block, CudaStream stream, CUevent after) {
        if (!pools) {
            if (stream != null) {
                Streams.synchronize(stream.handle, stream);
            } else if (after != null) {
                Events.synchronize(after);
            }
            Memory.free(block);
            return;
        }
        if (stream != null) {
            stream.inOrder(() -> Memory.freeAsync(block, stream.handle, stream));
            return;
        }
        synchronized (this) {
            if (closed && after == null) {
                Memory.free(block);   // idle; no allocator stream is made again after close
                return;
            }
        }
        if (after == null) {
            Memory.freeAsync(block, allocator(), ALLOCATOR);
            return;
        }
        // not on the allocator stream: allocDevice synchronizes that, and would wait for this event
        CUstream s = trim();
        Streams.waitEvent(s, after, TRIM);
        Memory.freeAsync(block, s, TRIM);
    }

    @Override
    public CUevent newEvent() {
        return Events.create(false, false);
    }

    @Override
    public void record(CUevent event, CudaStream stream) {
        stream.inOrder(() -> Events.record(event, stream.handle, stream));
    }

    @Override
    public boolean isComplete(CUevent event) {
        return Events.query(event);
    }

    @Override
    public void destroy(CUevent event) {
        Events.destroy(event);
    }

    @Override
    public void settle() {
        CUstream a;
        CUstream t;
        synchronized (this) {
            a = allocator;
            t = trim;
        }
        if (t != null) {
            Streams.synchronize(t, TRIM);
        }
        if (a != null) {
            Streams.synchronize(a, ALLOCATOR);
        }
    }

    /**
     * Waits for the allocator and trim streams' frees and destroys them.
     *
     * @throws CudaException if it fails
     */
    synchronized void close() {
        closed = true;
        try {
            if (trim != null) {
                try {
                    Streams.synchronize(trim, TRIM);
                } finally {
                    Streams.destroy(trim, TRIM);
                    trim = null;
                }
            }
        } finally {
            if (allocator != null) {
                try {
                    Streams.synchronize(allocator, ALLOCATOR);
                } finally {
                    Streams.destroy(allocator, ALLOCATOR);
                    allocator = null;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "the memory pool of " + device;
    }
}
