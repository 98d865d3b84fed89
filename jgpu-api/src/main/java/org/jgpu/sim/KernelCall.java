package org.jgpu.sim;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.jgpu.LaunchConfig;

/**
 * One launch of a kernel's Java twin: its configuration and arguments, already checked against
 * the kernel's signature. The host backend makes these; a twin only reads them.
 */
public interface KernelCall {

    /**
     * Whether the device was lost (another kernel faulted) while this call runs: a twin that
     * paces itself in real time checks it each step and returns, as a GPU stops every kernel of
     * a context with a sticky error, instead of holding its stream until its own end.
     *
     * @return true once the device is lost
     */
    boolean deviceLost();

    /** @return the launch configuration */
    LaunchConfig config();

    /** @return the number of arguments */
    int argCount();

    /**
     * @param i parameter index of an {@code int} parameter
     * @return its value
     */
    int intArg(int i);

    /**
     * @param i parameter index of a {@code long} parameter
     * @return its value
     */
    long longArg(int i);

    /**
     * @param i parameter index of a {@code float} parameter
     * @return its value
     */
    float floatArg(int i);

    /**
     * @param i parameter index of a {@code double} parameter
     * @return its value
     */
    double doubleArg(int i);

    /**
     * The memory a pointer argument points at, from its offset to the end of its buffer slice.
     *
     * @param i parameter index of a pointer parameter
     * @return a native-order view
     * @throws IllegalStateException naming the memory if it was freed (its buffer was closed
     *         while this launch was being enqueued)
     */
    ByteBuffer bytes(int i);

    /**
     * @param i parameter index of a pointer parameter
     * @return its memory as floats
     * @throws IllegalStateException naming the memory if it was freed (its buffer was closed
     *         while this launch was being enqueued)
     */
    FloatBuffer floats(int i);

    /**
     * @param i parameter index of a pointer parameter
     * @return its memory as ints
     * @throws IllegalStateException naming the memory if it was freed (its buffer was closed
     *         while this launch was being enqueued)
     */
    IntBuffer ints(int i);

    /**
     * Checks that a pointer argument holds at least {@code elements} of {@code elementBytes},
     * the way an out-of-bounds access would fault on a device.
     *
     * @param i parameter index of a pointer parameter
     * @param elements elements the kernel will touch
     * @param elementBytes bytes per element
     * @throws IndexOutOfBoundsException naming the kernel and parameter if the buffer is too small
     */
    void requireElements(int i, long elements, int elementBytes);
}
