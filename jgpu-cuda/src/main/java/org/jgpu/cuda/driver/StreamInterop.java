package org.jgpu.cuda.driver;

import org.jgpu.cuda.CudaException;
import static org.jgpu.cuda.driver.Driver.check;

import java.lang.reflect.Constructor;
import jcuda.NativePointerObject;
import jcuda.driver.CUcontext;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * Streams made outside jgpu: the raw {@code CUstream} address behind a JCuda handle and back, and
 * what the driver says about such a stream. JCuda keeps the address in a protected field, and
 * its {@code CUstream(long)} constructor is package-private; both are reached here and nowhere
 * else.
 */
public final class StreamInterop {
    /** CUDA's {@code CU_STREAM_LEGACY}: the legacy default stream as a handle. */
    public static final long LEGACY = 0x1;
    /** CUDA's {@code CU_STREAM_PER_THREAD}: the calling thread's per-thread default stream. */
    public static final long PER_THREAD = 0x2;

    private StreamInterop() {
    }

    /** Reads the address of any JCuda handle through the copy constructor a subclass may call. */
    private static final class Address extends NativePointerObject {
        Address(NativePointerObject of) {
            super(of);
        }

        long value() {
            return getNativePointer();
        }
    }

    /**
     * @param handle a JCuda handle
     * @return its native address (0 for a handle never set)
     */
    public static long address(NativePointerObject handle) {
        return new Address(handle).value();
    }

    /**
     * @param address a {@code CUstream} address
     * @return a JCuda handle with that address (it owns nothing)
     * @throws IllegalStateException if this JCuda version has no {@code CUstream(long)} to call
     */
    public static CUstream stream(long address) {
        try {
            Constructor<CUstream> c = CUstream.class.getDeclaredConstructor(long.class);
            c.setAccessible(true);
            return c.newInstance(address);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot make a JCuda CUstream from an address with this JCuda version ("
                    + e + "); use a JCuda CUstream and CudaStreams.borrow instead", e);
        }
    }

    /**
     * @param s a stream
     * @param what the stream, for messages
     * @return the context it belongs to
     * @throws org.jgpu.cuda.CudaException if the driver does not know it (e.g. {@code CUDA_ERROR_INVALID_HANDLE})
     */
    public static CUcontext context(CUstream s, Object what) {
        CUcontext c = new CUcontext();
        check(JCudaDriver.cuStreamGetCtx(s, c), "cuStreamGetCtx", what);
        return c;
    }

    /**
     * @param s a stream
     * @param what the stream, for messages
     * @return true if it was made with {@code CU_STREAM_NON_BLOCKING}
     * @throws org.jgpu.cuda.CudaException if the driver does not know it
     */
    public static boolean nonBlocking(CUstream s, Object what) {
        int[] flags = new int[1];
        check(JCudaDriver.cuStreamGetFlags(s, flags), "cuStreamGetFlags", what);
        return (flags[0] & CUstream_flags.CU_STREAM_NON_BLOCKING) != 0;
    }
}
