package org.jgpu.cuda;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import org.jgpu.DeviceInfo;
import org.jgpu.Dim3;
import org.jgpu.cuda.driver.Driver;

/**
 * A device's description and limits, read from the driver without a context: what an opened
 * device reports as {@link CudaDevice#info()} and what the device listing reports, the same way.
 */
final class DeviceProperties {
    private DeviceProperties() {
    }

    /**
     * @param device the device
     * @param ordinal its ordinal
     * @return its name, compute capability, memory, engines and launch limits, and the driver's version
     * @throws CudaException if the driver cannot say
     */
    static DeviceInfo read(CUdevice device, int ordinal) {
        int v = Driver.driverVersion();
        int cc = attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, ordinal);
        int ccMinor = attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, ordinal);
        boolean concurrent = attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS, ordinal) != 0;
        return new DeviceInfo(CudaBackendProvider.NAME, ordinal, Driver.deviceName(device, ordinal), cc + "." + ccMinor,
                (v / 1000) + "." + (v % 1000 / 10), Driver.totalMemory(device, ordinal),
                attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT, ordinal), concurrent ? 128 : 1,
                attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, ordinal),
                new Dim3(attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X, ordinal),
                        attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y, ordinal),
                        attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z, ordinal)),
                new Dim3(attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X, ordinal),
                        attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y, ordinal),
                        attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z, ordinal)),
                attr(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK, ordinal), false);
    }

    private static int attr(CUdevice device, int attribute, int ordinal) {
        return Driver.attribute(device, attribute, ordinal);
    }
}
