package org.jgpu.spi;

/**
 * A kernel argument that points into device memory.
 *
 * <p>The core passes its buffers themselves, which implement this interface, so that a launch
 * makes no object per buffer argument. A backend that runs a launch later than the call keeps
 * what it reads of them ({@link #memory()}, {@link #offset()}, {@link #length()} do not change).
 */
public interface DevicePointer {

    /** @return the allocation */
    NativeMemory memory();

    /** @return byte offset of the argument within the allocation */
    long offset();

    /** @return bytes the argument spans */
    long length();

    /**
     * @param memory the allocation
     * @param offset byte offset of the argument within it
     * @param length bytes the argument spans
     * @return a pointer to that range
     */
    static DevicePointer of(NativeMemory memory, long offset, long length) {
        return new Range(memory, offset, length);
    }

    /**
     * A range of an allocation, as {@link #of} makes it.
     *
     * @param memory the allocation
     * @param offset byte offset of the argument within it
     * @param length bytes the argument spans
     */
    record Range(NativeMemory memory, long offset, long length) implements DevicePointer {
    }
}
