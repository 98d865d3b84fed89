package org.jgpu;

/**
 * Memory a stream can copy to and from: a {@link HostBuffer} or a {@link DeviceBuffer}.
 *
 * <p>A slice shares its parent's memory and lifetime: closing the parent closes its slices;
 * closing a slice does nothing to the parent. Closing waits for pending work that uses the
 * memory.
 */
public sealed interface Buffer extends AutoCloseable permits HostBuffer, DeviceBuffer {

    /** @return the name, for messages */
    String name();

    /** @return the size in bytes */
    long size();

    /** @return the context the memory belongs to */
    Context context();

    /**
     * @param type an element type
     * @return how many whole elements of that type fit
     */
    default long count(ElementType type) {
        return size() / type.bytes();
    }

    /** @return true until this buffer (or its parent) is closed */
    boolean isOpen();

    /**
     * Waits for pending work on the memory, then frees it (a slice frees nothing).
     * Closing twice does nothing.
     *
     * @throws AsyncOperationException if waiting surfaced an error; the buffer is closed anyway
     */
    @Override
    void close();
}
