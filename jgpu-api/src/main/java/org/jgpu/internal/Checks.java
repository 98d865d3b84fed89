package org.jgpu.internal;

/** Argument checks shared by every operation, each naming what was wrong. */
final class Checks {
    private Checks() {
    }

    /**
     * @param what the object, named by its {@code toString()} (called only on failure), e.g. a buffer
     * @param offset first byte
     * @param length bytes
     * @param size the object's size
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not inside {@code [0, size)}
     */
    static void range(Object what, long offset, long length, long size) {
        range(null, what, offset, length, size);
    }

    /**
     * @param role the object's role, e.g. {@code src}, or null
     * @param what the object, named by its {@code toString()} (called only on failure), e.g. a buffer
     * @param offset first byte
     * @param length bytes
     * @param size the object's size
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not inside {@code [0, size)}
     */
    static void range(String role, Object what, long offset, long length, long size) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + length + ") is outside "
                    + (role == null ? "" : role + " ") + what + " of " + size + " bytes");
        }
    }

    /**
     * @param name the array's role, e.g. {@code src}
     * @param offset first element
     * @param length elements
     * @param arrayLength the array's length
     * @throws IndexOutOfBoundsException naming the array and its length if
     *         {@code [offset, offset + length)} is not inside it
     */
    static void arrayRange(String name, int offset, int length, int arrayLength) {
        if (offset < 0 || length < 0 || offset > arrayLength - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " and length " + length + " are outside " + name
                    + ", an array of length " + arrayLength);
        }
    }

    /**
     * @param what e.g. {@code allocDevice}
     * @param bytes requested size
     * @throws IllegalArgumentException if below 1
     */
    static void size(String what, long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException(what + ": size must be at least 1 byte, got " + bytes);
        }
    }

    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
