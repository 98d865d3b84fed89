package org.jgpu.host;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.jgpu.LaunchConfig;
import org.jgpu.spi.DevicePointer;

/**
 * One launch of a kernel's Java twin: its configuration and arguments, already checked against
 * the kernel's signature.
 */
public final class KernelCall {
    private final String kernel;
    private final LaunchConfig config;
    private final Object[] args;
    private final java.util.function.BooleanSupplier lost;

    KernelCall(String kernel, LaunchConfig config, Object[] args) {
        this(kernel, config, args, () -> false);
    }

    KernelCall(String kernel, LaunchConfig config, Object[] args, java.util.function.BooleanSupplier lost) {
        this.kernel = kernel;
        this.config = config;
        this.args = args;
        this.lost = lost;
    }

    /**
     * Whether the device was lost (another kernel faulted) while this call runs: a twin that
     * paces itself in real time checks it each step and returns, as a GPU stops every kernel of
     * a context with a sticky error, instead of holding its stream until its own end.
     *
     * @return true once the device is lost
     */
    public boolean deviceLost() {
        return lost.getAsBoolean();
    }

    /** @return the launch configuration */
    public LaunchConfig config() {
        return config;
    }

    /** @return the number of arguments */
    public int argCount() {
        return args.length;
    }

    /**
     * @param i parameter index of an {@code int} parameter
     * @return its value
     */
    public int intArg(int i) {
        return (Integer) args[i];
    }

    /**
     * @param i parameter index of a {@code long} parameter
     * @return its value
     */
    public long longArg(int i) {
        return (Long) args[i];
    }

    /**
     * @param i parameter index of a {@code float} parameter
     * @return its value
     */
    public float floatArg(int i) {
        return (Float) args[i];
    }

    /**
     * @param i parameter index of a {@code double} parameter
     * @return its value
     */
    public double doubleArg(int i) {
        return (Double) args[i];
    }

    /**
     * The memory a pointer argument points at, from its offset to the end of its buffer slice.
     *
     * @param i parameter index of a pointer parameter
     * @return a native-order view
     * @throws IllegalStateException naming the memory if it was freed (its buffer was closed
     *         while this launch was being enqueued)
     */
    public ByteBuffer bytes(int i) {
        DevicePointer p = (DevicePointer) args[i];
        return ((HostMemory) p.memory()).view(p.offset(), p.length());
    }

    /**
     * @param i parameter index of a pointer parameter
     * @return its memory as floats
     * @throws IllegalStateException naming the memory if it was freed (its buffer was closed
     *         while this launch was being enqueued)
     */
    public FloatBuffer floats(int i) {
        return bytes(i).asFloatBuffer();
    }

    /**
     * @param i parameter index of a pointer parameter
     * @return its memory as ints
     * @throws IllegalStateException naming the memory if it was freed (its buffer was closed
     *         while this launch was being enqueued)
     */
    public IntBuffer ints(int i) {
        return bytes(i).asIntBuffer();
    }

    /**
     * Checks that a pointer argument holds at least {@code elements} of {@code elementBytes},
     * the way an out-of-bounds access would fault on a device.
     *
     * @param i parameter index of a pointer parameter
     * @param elements elements the kernel will touch
     * @param elementBytes bytes per element
     * @throws IndexOutOfBoundsException naming the kernel and parameter if the buffer is too small
     */
    public void requireElements(int i, long elements, int elementBytes) {
        long have = ((DevicePointer) args[i]).length();
        // by division: elements * elementBytes can pass Long.MAX_VALUE and wrap to a size that fits
        if (elementBytes > 0 && elements > have / elementBytes) {
            java.math.BigInteger need = java.math.BigInteger.valueOf(elements).multiply(java.math.BigInteger.valueOf(elementBytes));
            throw new IndexOutOfBoundsException("kernel " + kernel + " parameter " + i + " accesses " + need
                    + " bytes but its buffer has " + have + " (on a GPU: CUDA_ERROR_ILLEGAL_ADDRESS)");
        }
    }
}
