package org.jgpu.cuda.driver;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.jgpu.CudaException;

/**
 * The thin checked layer: the only code that calls JCuda's driver API. Every call turns its
 * result code into a {@link CudaException} naming the CUDA error, the code, the operation and
 * the object; layers above never see a raw code. JCuda's own exception mode stays off.
 */
public final class Driver {
    /** Errors after which the context is unusable ("sticky" in CUDA's documentation). */
    private static final Set<Integer> STICKY = Set.of(
            CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, CUresult.CUDA_ERROR_LAUNCH_FAILED,
            CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION, CUresult.CUDA_ERROR_MISALIGNED_ADDRESS,
            CUresult.CUDA_ERROR_INVALID_ADDRESS_SPACE, CUresult.CUDA_ERROR_INVALID_PC,
            CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR, CUresult.CUDA_ERROR_ECC_UNCORRECTABLE);

    private Driver() {
    }

    /**
     * Turns a result code into an exception.
     *
     * @param result the CUresult
     * @param operation the call and its object, e.g. {@code cuDeviceGet(3)}
     * @throws CudaException unless the result is {@code CUDA_SUCCESS}
     */
    static void check(int result, String operation) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw error(result, operation);
        }
    }

    /**
     * Like {@link #check(int, String)}, building the operation's description only on failure, so
     * that the hot path makes no strings.
     *
     * @param result the CUresult
     * @param call the driver call, e.g. {@code cuMemcpyHtoDAsync}
     * @param object what it acted on, e.g. a stream's name (its toString is used on failure)
     * @throws CudaException unless the result is {@code CUDA_SUCCESS}
     */
    static void check(int result, String call, Object object) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw error(result, call + " on " + object);
        }
    }

    /**
     * @param result a failed CUresult
     * @param operation the operation and object
     * @return the exception describing it
     */
    public static CudaException error(int result, String operation) {
        return new CudaException(CUresult.stringFor(result), result, operation, STICKY.contains(result));
    }

    /** @return {@code CUDA_ERROR_NOT_READY}, the one result that is an answer, not an error */
    static int notReady() {
        return CUresult.CUDA_ERROR_NOT_READY;
    }

    /**
     * @param code a CUresult
     * @return true if it is {@code CUDA_ERROR_OUT_OF_MEMORY}
     */
    public static boolean isOutOfMemory(int code) {
        return code == CUresult.CUDA_ERROR_OUT_OF_MEMORY;
    }

    /**
     * Loads JCuda's native library and the CUDA driver behind it.
     *
     * @throws LinkageError if either cannot be loaded (no driver, unsupported platform)
     */
    public static void load() {
        JCudaDriver.setExceptionsEnabled(false);
    }

    /**
     * {@code cuInit(0)}.
     *
     * @throws CudaException e.g. {@code CUDA_ERROR_NO_DEVICE}
     */
    public static void init() {
        check(JCudaDriver.cuInit(0), "cuInit");
    }

    /**
     * @return the driver's CUDA version as {@code major * 1000 + minor * 10}
     * @throws CudaException if the driver cannot say
     */
    public static int driverVersion() {
        int[] v = new int[1];
        check(JCudaDriver.cuDriverGetVersion(v), "cuDriverGetVersion");
        return v[0];
    }

    /**
     * @return the number of CUDA devices
     * @throws CudaException if the driver cannot count them
     */
    public static int deviceCount() {
        int[] n = new int[1];
        check(JCudaDriver.cuDeviceGetCount(n), "cuDeviceGetCount");
        return n[0];
    }

    /**
     * @param ordinal a device ordinal
     * @return the device handle
     * @throws CudaException if the ordinal is invalid
     */
    public static CUdevice device(int ordinal) {
        CUdevice d = new CUdevice();
        check(JCudaDriver.cuDeviceGet(d, ordinal), "cuDeviceGet(" + ordinal + ")");
        return d;
    }

    /**
     * @param device a device
     * @param ordinal its ordinal, for messages
     * @return its name
     * @throws CudaException if the driver cannot say
     */
    public static String deviceName(CUdevice device, int ordinal) {
        byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName(device " + ordinal + ")");
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        return new String(name, 0, len, StandardCharsets.US_ASCII);
    }

    /**
     * @param device a device
     * @param ordinal its ordinal, for messages
     * @return its memory in bytes
     * @throws CudaException if the driver cannot say
     */
    public static long totalMemory(CUdevice device, int ordinal) {
        long[] bytes = new long[1];
        check(JCudaDriver.cuDeviceTotalMem(bytes, device), "cuDeviceTotalMem(device " + ordinal + ")");
        return bytes[0];
    }

    /**
     * @param device a device
     * @param attribute a {@code CUdevice_attribute}
     * @param ordinal its ordinal, for messages
     * @return the attribute's value
     * @throws CudaException if the attribute is unknown
     */
    public static int attribute(CUdevice device, int attribute, int ordinal) {
        int[] v = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(v, attribute, device),
                "cuDeviceGetAttribute(" + attribute + ", device " + ordinal + ")");
        return v[0];
    }

    /**
     * Retains the device's primary context (the one the runtime API, and so cuBLAS, uses).
     *
     * @param device the device
     * @param ordinal its ordinal, for messages
     * @return the context
     * @throws CudaException if it cannot be retained
     */
    public static CUcontext retainPrimaryContext(CUdevice device, int ordinal) {
        CUcontext c = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(c, device), "cuDevicePrimaryCtxRetain(device " + ordinal + ")");
        return c;
    }

    /**
     * @param device the device whose primary context to release
     * @param ordinal its ordinal, for messages
     * @throws CudaException if it cannot be released
     */
    public static void releasePrimaryContext(CUdevice device, int ordinal) {
        check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease(device " + ordinal + ")");
    }

    /**
     * Destroys everything in the primary context, so that a context lost to a sticky error can
     * be created anew.
     *
     * @param device the device
     * @param ordinal its ordinal, for messages
     * @throws CudaException if it cannot be reset
     */
    public static void resetPrimaryContext(CUdevice device, int ordinal) {
        check(JCudaDriver.cuDevicePrimaryCtxReset(device), "cuDevicePrimaryCtxReset(device " + ordinal + ")");
    }

    /**
     * @param context the context to make current on the calling thread
     * @throws CudaException if it cannot be made current
     */
    public static void setCurrent(CUcontext context) {
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    /**
     * Blocks until all work in the current context is done.
     *
     * @throws CudaException for an error of earlier asynchronous work
     */
    public static void synchronizeContext() {
        check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /**
     * @return {@code {free, total}} bytes of the current context's device
     * @throws CudaException if the driver cannot say
     */
    public static long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    /**
     * @return {@code {least, greatest}} stream priority of the current context (greatest is the
     *         numerically lowest)
     * @throws CudaException if the driver cannot say
     */
    public static int[] streamPriorityRange() {
        int[] least = new int[1];
        int[] greatest = new int[1];
        check(JCudaDriver.cuCtxGetStreamPriorityRange(least, greatest), "cuCtxGetStreamPriorityRange");
        return new int[] {least[0], greatest[0]};
    }
}
