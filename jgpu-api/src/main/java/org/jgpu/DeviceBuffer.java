package org.jgpu;

/**
 * Device memory. Streams copy to and from it, fill it and pass it to kernels.
 */
public non-sealed interface DeviceBuffer extends Buffer {

    /**
     * A view of part of this buffer that shares its lifetime.
     *
     * @param offset first byte
     * @param length bytes
     * @return the slice
     * @throws IndexOutOfBoundsException if the range falls outside this buffer
     * @throws IllegalStateException if this buffer is closed
     */
    DeviceBuffer slice(long offset, long length);

    /**
     * A typed slice: elements {@code [from, from + count)} of {@code type}.
     *
     * @param type the element type
     * @param from first element
     * @param count elements
     * @return the slice
     * @throws IndexOutOfBoundsException if the range falls outside this buffer
     * @throws IllegalStateException if this buffer is closed
     */
    default DeviceBuffer slice(ElementType type, long from, long count) {
        if (from < 0 || count < 0 || from > Long.MAX_VALUE / type.bytes() || count > Long.MAX_VALUE / type.bytes()) {
            throw new IndexOutOfBoundsException("slice of " + name() + ": elements [" + from + ", " + from + " + "
                    + count + ") of " + type + " out of range");
        }
        return slice(from * type.bytes(), count * type.bytes());
    }

    /** @return true if allocated with {@link Context#allocAsync(long, Stream)} */
    boolean isStreamOrdered();
}
