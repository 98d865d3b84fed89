package org.jgpu;

/**
 * Device memory, free and total, at the moment it was asked for.
 *
 * @param freeBytes bytes free
 * @param totalBytes bytes in all
 */
public record MemoryInfo(long freeBytes, long totalBytes) {
    /** @return bytes in use */
    public long usedBytes() {
        return totalBytes - freeBytes;
    }
}
