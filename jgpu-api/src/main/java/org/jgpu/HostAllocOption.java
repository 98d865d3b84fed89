package org.jgpu;

/** Options of page-locked host memory ({@link Context#allocHost(long, java.util.Set)}). */
public enum HostAllocOption {
    /**
     * Write-combined: faster for the device to read over PCIe, but very slow for the CPU to read
     * (tens of times). Only for buffers the host writes and never reads.
     */
    WRITE_COMBINED,
    /** Mapped into the device's address space, so kernels can read and write it directly. */
    MAPPED,
    /** Pinned for every context, not only the one that allocated it. */
    PORTABLE
}
