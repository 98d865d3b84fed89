package org.jgpu.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import org.jgpu.CudaException;
import org.jgpu.cuda.driver.Driver;
import org.jgpu.cuda.driver.Memory;
import org.jgpu.cuda.driver.Streams;

/**
 * The driver side of a device's {@link BlockPool}: blocks from the stream-ordered allocator
 * ({@code cuMemAllocAsync} on the default pool), freed with {@code cuMemFreeAsync}, so that no
 * allocation or free of device memory synchronizes the device.
 *
 * <p>Memory for use on any stream ({@code allocDevice}) and frees with no stream of their own
 * go through an allocator stream of this device (non-blocking, so the legacy default stream
 * does not serialize with it). On a device without memory pools
 * ({@code CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED} 0) blocks come from {@code cuMemAlloc} and
 * are freed with {@code cuMemFree} once their users are done, which synchronizes. The caller
 * binds the context first.
 */
final class CudaBlocks implements BlockPool.Ops<CUdeviceptr, CudaStream, CUevent> {
    private static final String ALLOCATOR = "the allocator stream";

    private final CudaDevice device;
    private final boolean pools;
    private CUstream allocator;
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

    @Override
    public CUdeviceptr allocate(long bytes, CudaStream stream) {
        if (!pools) {
            return Memory.alloc(bytes);
        }
        if (stream != null) {
            return Memory.allocAsync(bytes, stream.handle, stream);
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
                Streams.synchronizeEvent(after);
            }
            Memory.free(block);
            return;
        }
        if (stream != null) {
            Memory.freeAsync(block, stream.handle, stream);
            return;
        }
        synchronized (this) {
            if (closed && after == null) {
                Memory.free(block);   // idle; no allocator stream is made again after close
                return;
            }
        }
        CUstream s = allocator();
        if (after != null) {
            Streams.waitEvent(s, after, ALLOCATOR);
        }
        Memory.freeAsync(block, s, ALLOCATOR);
    }

    @Override
    public CUevent newEvent() {
        return Streams.createEvent(false, false);
    }

    @Override
    public void record(CUevent event, CudaStream stream) {
        Streams.record(event, stream.handle, stream);
    }

    @Override
    public void await(CudaStream stream, CUevent event) {
        if (stream == null) {
            Streams.synchronizeEvent(event);
        } else {
            Streams.waitEvent(stream.handle, event, stream);
        }
    }

    @Override
    public void destroy(CUevent event) {
        Streams.destroyEvent(event);
    }

    @Override
    public void settle() {
        CUstream s;
        synchronized (this) {
            s = allocator;
        }
        if (s != null) {
            Streams.synchronize(s, ALLOCATOR);
        }
    }

    /**
     * Waits for the allocator stream's frees and destroys it.
     *
     * @throws CudaException if it fails
     */
    synchronized void close() {
        closed = true;
        if (allocator != null) {
            try {
                Streams.synchronize(allocator, ALLOCATOR);
            } finally {
                Streams.destroy(allocator, ALLOCATOR);
                allocator = null;
            }
        }
    }

    @Override
    public String toString() {
        return "the memory pool of " + device;
    }
}
