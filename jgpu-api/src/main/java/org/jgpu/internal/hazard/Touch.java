package org.jgpu.internal.hazard;

/**
 * One buffer range an operation reads or writes. Its {@code toString()} names the range as
 * messages and operation tags show it: the allocation's name, and the slice when the range is
 * not the whole allocation.
 *
 * @param buffer the allocation's state
 * @param start first byte, relative to the allocation
 * @param end one past the last byte
 * @param reads whether the operation reads the range
 * @param writes whether the operation writes the range
 */
public record Touch(BufferState buffer, long start, long end, boolean reads, boolean writes) implements Touches {
    @Override
    public int touchCount() {
        return 1;
    }

    @Override
    public Touch touch(int i) {
        if (i != 0) {
            throw new IndexOutOfBoundsException(i);
        }
        return this;
    }

    /** @return e.g. {@code device buffer 'x'}, or {@code device buffer 'x' slice [16, 32)} */
    @Override
    public String toString() {
        return describe(buffer, start, end);
    }

    /**
     * @param buffer the allocation
     * @param start first byte, relative to the allocation
     * @param end one past the last byte
     * @return the range's name, as {@link #toString()} gives it
     */
    public static String describe(BufferState buffer, long start, long end) {
        if (start == 0 && end == buffer.size()) {
            return buffer.name();
        }
        return buffer.name() + " slice [" + start + ", " + end + ")";
    }
}
