package org.jgpu.cuda.driver;

import org.jgpu.cuda.CudaException;
import static org.jgpu.cuda.driver.Driver.check;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/** The thin checked layer for allocation, copies and fills. */
public final class Memory {
    private Memory() {
    }

    /**
     * @param bytes size
     * @return device memory
     * @throws CudaException e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}
     */
    public static CUdeviceptr alloc(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        int r = JCudaDriver.cuMemAlloc(p, bytes);
        if (r != 0) {
            throw Driver.error(r, "cuMemAlloc(" + bytes + " bytes)");
        }
        return p;
    }

    /**
     * @param bytes size
     * @param stream the stream that orders the allocation
     * @param what the stream's name, for messages
     * @return stream-ordered device memory
     * @throws CudaException e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}
     */
    public static CUdeviceptr allocAsync(long bytes, CUstream stream, Object what) {
        CUdeviceptr p = new CUdeviceptr();
        int r = JCudaDriver.cuMemAllocAsync(p, bytes, stream);
        if (r != 0) {
            throw Driver.error(r, "cuMemAllocAsync(" + bytes + " bytes) on " + what);
        }
        return p;
    }

    /**
     * Frees now: for {@code cuMemAlloc} memory this may synchronize the device; for
     * stream-ordered memory it does not, so its users must be done.
     *
     * @param p device memory
     * @throws CudaException if it cannot be freed
     */
    public static void free(CUdeviceptr p) {
        check(JCudaDriver.cuMemFree(p), "cuMemFree");
    }

    /**
     * @param p stream-ordered memory
     * @param stream the stream that orders the free
     * @param what its name, for messages
     * @throws CudaException if the free cannot be enqueued
     */
    public static void freeAsync(CUdeviceptr p, CUstream stream, Object what) {
        check(JCudaDriver.cuMemFreeAsync(p, stream), "cuMemFreeAsync", what);
    }

    /**
     * @param bytes size
     * @param portable pinned for every context
     * @param mapped mapped into the device's address space
     * @param writeCombined write-combined
     * @return page-locked host memory
     * @throws CudaException e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}
     */
    public static Pointer allocHost(long bytes, boolean portable, boolean mapped, boolean writeCombined) {
        Pointer p = new Pointer();
        int flags = (portable ? JCudaDriver.CU_MEMHOSTALLOC_PORTABLE : 0) | (mapped ? JCudaDriver.CU_MEMHOSTALLOC_DEVICEMAP : 0)
                | (writeCombined ? JCudaDriver.CU_MEMHOSTALLOC_WRITECOMBINED : 0);
        int r = flags == 0 ? JCudaDriver.cuMemAllocHost(p, bytes) : JCudaDriver.cuMemHostAlloc(p, bytes, flags);
        if (r != 0) {
            throw Driver.error(r, (flags == 0 ? "cuMemAllocHost(" : "cuMemHostAlloc(") + bytes + " bytes)");
        }
        return p;
    }

    /**
     * @param p page-locked host memory
     * @return its address in the device's address space
     * @throws CudaException if it is not mapped
     */
    public static CUdeviceptr devicePointerOf(Pointer p) {
        CUdeviceptr d = new CUdeviceptr();
        check(JCudaDriver.cuMemHostGetDevicePointer(d, p, 0), "cuMemHostGetDevicePointer");
        return d;
    }

    /**
     * @param p page-locked host memory
     * @throws CudaException if it cannot be freed
     */
    public static void freeHost(Pointer p) {
        check(JCudaDriver.cuMemFreeHost(p), "cuMemFreeHost");
    }

    /**
     * @param dst device address
     * @param src pinned host address
     * @param bytes bytes
     * @param s stream
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be enqueued
     */
    public static void copyHtoDAsync(CUdeviceptr dst, Pointer src, long bytes, CUstream s, Object what) {
        check(JCudaDriver.cuMemcpyHtoDAsync(dst, src, bytes, s), "cuMemcpyHtoDAsync", what);
    }

    /**
     * @param dst pinned host address
     * @param src device address
     * @param bytes bytes
     * @param s stream
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be enqueued
     */
    public static void copyDtoHAsync(Pointer dst, CUdeviceptr src, long bytes, CUstream s, Object what) {
        check(JCudaDriver.cuMemcpyDtoHAsync(dst, src, bytes, s), "cuMemcpyDtoHAsync", what);
    }

    /**
     * Copies between any two addresses of the unified address space (device or pinned host).
     *
     * @param dst destination
     * @param src source
     * @param bytes bytes
     * @param s stream
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be enqueued
     */
    public static void copyAsync(CUdeviceptr dst, CUdeviceptr src, long bytes, CUstream s, Object what) {
        check(JCudaDriver.cuMemcpyAsync(dst, src, bytes, s), "cuMemcpyAsync", what);
    }

    /**
     * @param dst device address
     * @param value the byte
     * @param bytes bytes to set
     * @param s stream
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be enqueued
     */
    public static void setD8Async(CUdeviceptr dst, byte value, long bytes, CUstream s, Object what) {
        check(JCudaDriver.cuMemsetD8Async(dst, value, bytes, s), "cuMemsetD8Async", what);
    }

    /**
     * @param dst device address, 4-byte aligned
     * @param value the word
     * @param words words to set
     * @param s stream
     * @param what the stream's name, for messages
     * @throws CudaException if it cannot be enqueued
     */
    public static void setD32Async(CUdeviceptr dst, int value, long words, CUstream s, Object what) {
        check(JCudaDriver.cuMemsetD32Async(dst, value, words, s), "cuMemsetD32Async", what);
    }
}
