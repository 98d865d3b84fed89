package org.jgpu.cuda.driver;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.jgpu.MemoryInfo;
import org.jgpu.StreamPriorityRange;
import org.jgpu.cuda.CudaException;

/**
 * The thin checked layer: the only code that calls JCuda's driver API. Every call turns its
 * result code into a {@link CudaException} naming the CUDA error, the code, the operation and
 * the object; layers above never see a raw code. JCuda's own exception mode stays off.
 */
public final class Driver {
    /** Set once JCuda's natives and the driver loaded: from then on the driver names errors. */
    private static volatile boolean loaded;
    /** Per thread, the output of cuCtxGetCurrent, reused so that binding allocates nothing. */
    private static final ThreadLocal<CUcontext> CURRENT = ThreadLocal.withInitial(CUcontext::new);

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
        return new CudaException(errorName(result), result, operation, isSticky(result));
    }

    /**
     * Like {@link #error}, for the driver's callback thread, where CUDA forbids CUDA calls: the
     * name comes from the Java table alone, never from {@code cuGetErrorName}.
     *
     * @param result a failed CUresult, e.g. a stream callback's status
     * @param operation the operation and object
     * @return the exception describing it
     */
    public static CudaException errorFromCallback(int result, String operation) {
        return new CudaException(ErrorCodes.javaName(result), result, operation, isSticky(result));
    }

    /**
     * @param code a CUresult
     * @return true if CUDA documents it as leaving the process unable to use CUDA until it is
     *         restarted ("sticky")
     */
    public static boolean isSticky(int code) {
        return ErrorCodes.STICKY.contains(code);
    }

    /**
     * The error's name: the driver's ({@code cuGetErrorName}) once it is loaded, as it knows the
     * codes of its own CUDA version; else, or for a code the driver does not know, a table of
     * CUDA 13's names, then JCuda's.
     *
     * @param code a CUresult
     * @return its name, e.g. {@code CUDA_ERROR_CONTAINED}
     */
    public static String errorName(int code) {
        if (loaded) {
            try {
                String[] name = new String[1];
                if (JCudaDriver.cuGetErrorName(code, name) == CUresult.CUDA_SUCCESS && name[0] != null) {
                    return name[0];
                }
            } catch (LinkageError e) {
                // the natives went away or lack the entry: the Java table still names the code
            }
        }
        return ErrorCodes.javaName(code);
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
        loaded = true;
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
     * Makes a context current on the calling thread unless it already is. Asks the driver each
     * time ({@code cuCtxGetCurrent} reads a thread-local of the driver) rather than trusting a
     * cache, because other code on the thread (JCuda calls of the application, another library)
     * may have made another context current since.
     *
     * @param context the context to make current on the calling thread
     * @throws CudaException if it cannot be made current
     */
    public static void makeCurrent(CUcontext context) {
        CUcontext current = CURRENT.get();
        check(JCudaDriver.cuCtxGetCurrent(current), "cuCtxGetCurrent");
        if (!context.equals(current)) {
            check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        }
    }

    /**
     * @return free and total bytes of the current context's device
     * @throws CudaException if the driver cannot say
     */
    public static MemoryInfo memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new MemoryInfo(free[0], total[0]);
    }

    /**
     * @return the stream priorities of the current context (greatest is the numerically lowest)
     * @throws CudaException if the driver cannot say
     */
    public static StreamPriorityRange streamPriorityRange() {
        int[] least = new int[1];
        int[] greatest = new int[1];
        check(JCudaDriver.cuCtxGetStreamPriorityRange(least, greatest), "cuCtxGetStreamPriorityRange");
        return new StreamPriorityRange(greatest[0], least[0]);
    }
}
