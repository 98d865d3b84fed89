package org.jgpu;

/**
 * What a context's device is and what it can do.
 *
 * @param backend the backend's name ({@code "cuda"}, {@code "host"})
 * @param ordinal the device ordinal within the backend
 * @param name the device name, e.g. {@code "NVIDIA H100 80GB HBM3"}
 * @param computeCapability e.g. {@code "9.0"}; the host backend says {@code "host"}
 * @param driverVersion the driver's version, e.g. {@code "13.0"}, or the simulator's
 * @param totalMemoryBytes device memory in bytes
 * @param copyEngines copy engines (1: copies in one direction at a time; 2: both at once)
 * @param concurrentKernels whether (and how many) kernels may run at once; 1 means one at a time
 * @param maxThreadsPerBlock the largest block volume
 * @param maxBlock the largest block size per dimension
 * @param maxGrid the largest grid size per dimension
 * @param maxSharedMemoryPerBlock the largest dynamic shared memory per block, in bytes
 * @param simulated true for the host backend: timings come from its engine model, or from its Java code where
 *        that takes longer (a kernel lasts at least as long as its twin runs), not from hardware
 */
public record DeviceInfo(String backend, int ordinal, String name, String computeCapability,
        String driverVersion, long totalMemoryBytes, int copyEngines, int concurrentKernels,
        int maxThreadsPerBlock, Dim3 maxBlock, Dim3 maxGrid, int maxSharedMemoryPerBlock,
        boolean simulated) {
}
