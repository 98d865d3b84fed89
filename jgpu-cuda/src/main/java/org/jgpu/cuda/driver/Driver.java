package org.jgpu.cuda.driver;

import java.nio.charset.StandardCharsets;
import java.util.Set;
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
            throw new CudaException(CUresult.stringFor(result), result, operation, STICKY.contains(result));
        }
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
}
