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
 * <p>Byte order is the platform's native order, as the device sees it.
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
     * Writes floats from the host at element {@code index}.
     *
     * @param index first float element
     * @param src values
     * @throws IndexOutOfBoundsException if they do not fit
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void write(long index, float[] src);

    /**
     * Reads floats to the host from element {@code index}.
     *
     * @param index first float element
     * @param dst where to put them
     * @throws IndexOutOfBoundsException if the range falls outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void read(long index, float[] dst);

    /**
     * Writes ints from the host at element {@code index}.
     *
     * @param index first int element
     * @param src values
     * @throws IndexOutOfBoundsException if they do not fit
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void write(long index, int[] src);

    /**
     * Reads ints to the host from element {@code index}.
     *
     * @param index first int element
     * @param dst where to put them
     * @throws IndexOutOfBoundsException if the range falls outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void read(long index, int[] dst);

    /**
     * Writes bytes from the host at byte {@code offset}.
     *
     * @param offset first byte
     * @param src values
     * @throws IndexOutOfBoundsException if they do not fit
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy uses the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void write(long offset, byte[] src);

    /**
     * Reads bytes to the host from byte {@code offset}.
     *
     * @param offset first byte
     * @param dst where to put them
     * @throws IndexOutOfBoundsException if the range falls outside the buffer
     * @throws HazardException in {@link HazardMode#CHECK} if a pending copy writes the memory
     * @throws IllegalStateException if the buffer is closed
     */
    void read(long offset, byte[] dst);

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
}
