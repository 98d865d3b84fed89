package org.jgpu.spi;

/**
 * A kernel argument that points into device memory.
 *
 * @param memory the allocation
 * @param offset byte offset of the argument within it
 * @param length bytes the argument spans
 */
public record DevicePointer(NativeMemory memory, long offset, long length) {
}
