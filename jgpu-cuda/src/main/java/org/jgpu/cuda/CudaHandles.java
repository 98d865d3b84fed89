package org.jgpu.cuda;

import jcuda.Pointer;
import jcuda.driver.CUstream;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.NativeStream;

/** Raw CUDA handles behind jgpu objects, for libraries bound to jgpu's streams (cuBLAS). */
public final class CudaHandles {
    private CudaHandles() {
    }

    /**
     * The driver handle of a stream, with its context made current on the calling thread (a
     * library's runtime-API calls then run on the right device).
     *
     * @param stream a stream of the CUDA backend
     * @return its driver handle
     * @throws IllegalArgumentException if the stream is not a CUDA stream
     * @throws org.jgpu.cuda.CudaException if the context was lost
     */
    public static CUstream stream(NativeStream stream) {
        if (!(stream instanceof CudaStream s)) {
            throw new IllegalArgumentException("not a CUDA stream: " + stream);
        }
        s.device().enter();
        return s.handle;
    }

    /**
     * @param p a buffer argument on the CUDA backend
     * @return its device address as a pointer for library calls
     */
    public static Pointer device(DevicePointer p) {
        return ((CudaMemory) p.memory()).deviceAt(p.offset());
    }
}
