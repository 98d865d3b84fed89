package org.jgpu;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Set;

/**
 * Page-locked (pinned) host memory: the device copies it asynchronously.
 *
 * <p>Every host access goes through this interface so that the hazard checker sees it: reading
 * memory that a pending device-to-host copy is still writing, or refilling memory that a pending
 * host-to-device copy is still reading, is a hazard. The {@code as...Buffer()} views are checked
 * once, when taken, as a read and a write: take a fresh view for each use rather than keeping
 * one across copies.
 *
 * <p>The typed reads and writes count the buffer as an array of their element type: {@code index}
 * is an element index ({@code write(2, floats)} starts at byte 8, {@code write(2, longs)} at byte
 * 16, {@code write(2, bytes)} at byte 2). Byte order is the platform's native order, as the device
 * sees it.
 */
public non-sealed interface HostBuffer extends Buffer {

    /** @return the allocation options (empty for plain pinned memory) */
    Set<HostAllocOption> options();

    /**
     * A view of part of this buffer that shares its lifetime.
     *
     * @param offset first byte
     * @param length bytes
     * @return the slice
     * @throws IndexOutOfBoundsException if the range falls outside this buffer
     * @throws IllegalStateException if this buffer is closed
     */
    HostBuffer slice(long offset, long length);

    /**
     * The memory as a byte buffer in native order, checked as a host read and write now.
     *
     * @return a view of the whole buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws UnsupportedOperationException if the buffer is larger than 2 GiB - 1
     * @throws IllegalStateException if the buffer is closed
     */
    ByteBuffer asByteBuffer();

    /**
     * @return the memory as floats, checked like {@link #asByteBuffer()}
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default FloatBuffer asFloatBuffer() {
        return asByteBuffer().asFloatBuffer();
    }

    /**
     * @return the memory as ints, checked like {@link #asByteBuffer()}
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default IntBuffer asIntBuffer() {
        return asByteBuffer().asIntBuffer();
    }

    /**
     * Writes all of {@code src} at element {@code index}; see
     * {@link #write(long, float[], int, int)}.
     *
     * @param index first element, counting the buffer as a {@code float[]} (byte offset {@code 4 * index})
     * @param src the values
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if they do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void write(long index, float[] src) {
        write(index, src, 0, length(src, "src"));
    }

    /**
     * Writes {@code src[offset, offset + length)} from the host at element {@code index}.
     *
     * @param index first element, counting the buffer as a {@code float[]} (byte offset {@code 4 * index})
     * @param src the values
     * @param offset first element of src to write
     * @param length elements to write
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length) or
     *         the values do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void write(long index, float[] src, int offset, int length);

    /**
     * Fills all of {@code dst} from element {@code index}; see {@link #read(long, float[], int, int)}.
     *
     * @param index first element, counting the buffer as a {@code float[]} (byte offset {@code 4 * index})
     * @param dst where to put them
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void read(long index, float[] dst) {
        read(index, dst, 0, length(dst, "dst"));
    }

    /**
     * Reads floats to the host from element {@code index} into {@code dst[offset, offset + length)}.
     *
     * @param index first element, counting the buffer as a {@code float[]} (byte offset {@code 4 * index})
     * @param dst where to put them
     * @param offset first element of dst to fill
     * @param length elements to read
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length) or
     *         outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void read(long index, float[] dst, int offset, int length);

    /**
     * @return the whole buffer as a new {@code float[]}
     * @throws IllegalArgumentException if the size is not a multiple of 4 bytes
     * @throws UnsupportedOperationException if the buffer is larger than 2 GiB - 1
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    float[] toFloatArray();

    /**
     * Writes all of {@code src} at element {@code index}; see
     * {@link #write(long, int[], int, int)}.
     *
     * @param index first element, counting the buffer as a {@code int[]} (byte offset {@code 4 * index})
     * @param src the values
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if they do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void write(long index, int[] src) {
        write(index, src, 0, length(src, "src"));
    }

    /**
     * Writes {@code src[offset, offset + length)} from the host at element {@code index}.
     *
     * @param index first element, counting the buffer as a {@code int[]} (byte offset {@code 4 * index})
     * @param src the values
     * @param offset first element of src to write
     * @param length elements to write
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length) or
     *         the values do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void write(long index, int[] src, int offset, int length);

    /**
     * Fills all of {@code dst} from element {@code index}; see {@link #read(long, int[], int, int)}.
     *
     * @param index first element, counting the buffer as a {@code int[]} (byte offset {@code 4 * index})
     * @param dst where to put them
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void read(long index, int[] dst) {
        read(index, dst, 0, length(dst, "dst"));
    }

    /**
     * Reads ints to the host from element {@code index} into {@code dst[offset, offset + length)}.
     *
     * @param index first element, counting the buffer as a {@code int[]} (byte offset {@code 4 * index})
     * @param dst where to put them
     * @param offset first element of dst to fill
     * @param length elements to read
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length) or
     *         outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void read(long index, int[] dst, int offset, int length);

    /**
     * @return the whole buffer as a new {@code int[]}
     * @throws IllegalArgumentException if the size is not a multiple of 4 bytes
     * @throws UnsupportedOperationException if the buffer is larger than 2 GiB - 1
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    int[] toIntArray();

    /**
     * Writes all of {@code src} at element {@code index}; see
     * {@link #write(long, long[], int, int)}.
     *
     * @param index first element, counting the buffer as a {@code long[]} (byte offset {@code 8 * index})
     * @param src the values
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if they do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void write(long index, long[] src) {
        write(index, src, 0, length(src, "src"));
    }

    /**
     * Writes {@code src[offset, offset + length)} from the host at element {@code index}.
     *
     * @param index first element, counting the buffer as a {@code long[]} (byte offset {@code 8 * index})
     * @param src the values
     * @param offset first element of src to write
     * @param length elements to write
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length) or
     *         the values do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void write(long index, long[] src, int offset, int length);

    /**
     * Fills all of {@code dst} from element {@code index}; see {@link #read(long, long[], int, int)}.
     *
     * @param index first element, counting the buffer as a {@code long[]} (byte offset {@code 8 * index})
     * @param dst where to put them
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void read(long index, long[] dst) {
        read(index, dst, 0, length(dst, "dst"));
    }

    /**
     * Reads longs to the host from element {@code index} into {@code dst[offset, offset + length)}.
     *
     * @param index first element, counting the buffer as a {@code long[]} (byte offset {@code 8 * index})
     * @param dst where to put them
     * @param offset first element of dst to fill
     * @param length elements to read
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length) or
     *         outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void read(long index, long[] dst, int offset, int length);

    /**
     * @return the whole buffer as a new {@code long[]}
     * @throws IllegalArgumentException if the size is not a multiple of 8 bytes
     * @throws UnsupportedOperationException if the buffer is larger than 2 GiB - 1
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    long[] toLongArray();

    /**
     * Writes all of {@code src} at element {@code index}; see
     * {@link #write(long, double[], int, int)}.
     *
     * @param index first element, counting the buffer as a {@code double[]} (byte offset {@code 8 * index})
     * @param src the values
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if they do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void write(long index, double[] src) {
        write(index, src, 0, length(src, "src"));
    }

    /**
     * Writes {@code src[offset, offset + length)} from the host at element {@code index}.
     *
     * @param index first element, counting the buffer as a {@code double[]} (byte offset {@code 8 * index})
     * @param src the values
     * @param offset first element of src to write
     * @param length elements to write
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length) or
     *         the values do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void write(long index, double[] src, int offset, int length);

    /**
     * Fills all of {@code dst} from element {@code index}; see {@link #read(long, double[], int, int)}.
     *
     * @param index first element, counting the buffer as a {@code double[]} (byte offset {@code 8 * index})
     * @param dst where to put them
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void read(long index, double[] dst) {
        read(index, dst, 0, length(dst, "dst"));
    }

    /**
     * Reads doubles to the host from element {@code index} into {@code dst[offset, offset + length)}.
     *
     * @param index first element, counting the buffer as a {@code double[]} (byte offset {@code 8 * index})
     * @param dst where to put them
     * @param offset first element of dst to fill
     * @param length elements to read
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length) or
     *         outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void read(long index, double[] dst, int offset, int length);

    /**
     * @return the whole buffer as a new {@code double[]}
     * @throws IllegalArgumentException if the size is not a multiple of 8 bytes
     * @throws UnsupportedOperationException if the buffer is larger than 2 GiB - 1
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    double[] toDoubleArray();

    /**
     * Writes all of {@code src} at element {@code index}; see
     * {@link #write(long, byte[], int, int)}.
     *
     * @param index first byte (for bytes the element index is the byte offset)
     * @param src the values
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if they do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void write(long index, byte[] src) {
        write(index, src, 0, length(src, "src"));
    }

    /**
     * Writes {@code src[offset, offset + length)} from the host at element {@code index}.
     *
     * @param index first byte (for bytes the element index is the byte offset)
     * @param src the values
     * @param offset first element of src to write
     * @param length elements to write
     * @throws IllegalArgumentException if src is null
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length) or
     *         the values do not fit in the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void write(long index, byte[] src, int offset, int length);

    /**
     * Fills all of {@code dst} from element {@code index}; see {@link #read(long, byte[], int, int)}.
     *
     * @param index first byte (for bytes the element index is the byte offset)
     * @param dst where to put them
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    default void read(long index, byte[] dst) {
        read(index, dst, 0, length(dst, "dst"));
    }

    /**
     * Reads bytes to the host from element {@code index} into {@code dst[offset, offset + length)}.
     *
     * @param index first byte (for bytes the element index is the byte offset)
     * @param dst where to put them
     * @param offset first element of dst to fill
     * @param length elements to read
     * @throws IllegalArgumentException if dst is null
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length) or
     *         outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void read(long index, byte[] dst, int offset, int length);

    /**
     * @return the whole buffer as a new {@code byte[]}
     * @throws IllegalArgumentException if the size is not a multiple of 1 bytes
     * @throws UnsupportedOperationException if the buffer is larger than 2 GiB - 1
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    byte[] toByteArray();

    /**
     * Reads an aligned 8-byte value that the device may be writing right now (a progress
     * counter in {@link HostAllocOption#MAPPED} memory, say), with volatile semantics. Not
     * hazard-checked: it is for memory shared with running kernels on purpose.
     *
     * @param offset byte offset, a multiple of 8
     * @return the value
     * @throws IndexOutOfBoundsException if outside the buffer
     * @throws IllegalArgumentException if the offset is not a multiple of 8
     * @throws IllegalStateException if the buffer is closed
     */
    long getLongVolatile(long offset);

    /**
     * Writes an aligned 4-byte value that a running kernel may read (a cancel flag in mapped
     * memory, say), with volatile semantics. Not hazard-checked.
     *
     * @param offset byte offset, a multiple of 4
     * @param value the value
     * @throws IndexOutOfBoundsException if outside the buffer
     * @throws IllegalArgumentException if the offset is not a multiple of 4
     * @throws IllegalStateException if the buffer is closed
     */
    void putIntVolatile(long offset, int value);

    /**
     * @param index float element
     * @return its value
     * @throws IndexOutOfBoundsException if outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    float getFloat(long index);

    /**
     * @param index float element
     * @param value its new value
     * @throws IndexOutOfBoundsException if outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void putFloat(long index, float value);

    /** @throws IllegalArgumentException naming the argument if it is null */
    private static int length(Object array, String name) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return java.lang.reflect.Array.getLength(array);
    }
}
