package org.jgpu.cuda.driver;

import org.jgpu.cuda.CudaException;
import static org.jgpu.cuda.driver.Driver.check;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/** The thin checked layer for modules and kernel launches. */
public final class Modules {
    private Modules() {
    }

    /**
     * @param ptx PTX text
     * @param what where it came from, for messages
     * @return the loaded module
     * @throws CudaException e.g. {@code CUDA_ERROR_UNSUPPORTED_PTX_VERSION} for a driver too old
     */
    public static CUmodule loadPtx(String ptx, Object what) {
        CUmodule m = new CUmodule();
        check(JCudaDriver.cuModuleLoadData(m, ptx), "cuModuleLoadData", what);
        return m;
    }

    /**
     * @param image a cubin or fatbin
     * @param what where it came from, for messages
     * @return the loaded module
     * @throws CudaException e.g. {@code CUDA_ERROR_NO_BINARY_FOR_GPU}
     */
    public static CUmodule loadImage(byte[] image, Object what) {
        CUmodule m = new CUmodule();
        check(JCudaDriver.cuModuleLoadData(m, image), "cuModuleLoadData", what);
        return m;
    }

    /**
     * @param m a module
     * @throws CudaException if it cannot be unloaded
     */
    public static void unload(CUmodule m) {
        check(JCudaDriver.cuModuleUnload(m), "cuModuleUnload");
    }

    /**
     * @param m a module
     * @param name an entry name
     * @return the kernel
     * @throws CudaException {@code CUDA_ERROR_NOT_FOUND} if there is no such entry
     */
    public static CUfunction function(CUmodule m, String name) {
        CUfunction f = new CUfunction();
        check(JCudaDriver.cuModuleGetFunction(f, m, name), "cuModuleGetFunction", "'" + name + "'");
        return f;
    }

    /**
     * The raw device address a {@link CUdeviceptr} stands for (its value plus byte offset), to
     * write into a kernel's argument buffer. JCuda keeps both fields protected; its copy
     * constructor, reached from a subclass, reads them without reflection.
     *
     * @param p a device pointer
     * @return its address
     */
    public static long address(CUdeviceptr p) {
        return new AddressOf(p).value();
    }

    /** Reads a pointer's protected fields through JCuda's copy constructor. */
    private static final class AddressOf extends Pointer {
        AddressOf(Pointer p) {
            super(p);
        }

        long value() {
            return getNativePointer() + getByteOffset();
        }
    }

    /**
     * @param f the kernel
     * @param grid grid size {x, y, z}
     * @param block block size {x, y, z}
     * @param sharedBytes dynamic shared memory
     * @param s the stream
     * @param params pointer to the array of pointers to each argument
     * @param what the kernel and stream, for messages
     * @throws CudaException if the launch cannot be enqueued
     */
    public static void launch(CUfunction f, int[] grid, int[] block, int sharedBytes, CUstream s, Pointer params,
            Object what) {
        check(JCudaDriver.cuLaunchKernel(f, grid[0], grid[1], grid[2], block[0], block[1], block[2], sharedBytes, s,
                params, null), "cuLaunchKernel", what);
    }
}
