package org.jgpu.sim.internal;

import org.jgpu.sim.KernelCall;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.jgpu.LaunchConfig;
import org.jgpu.spi.DevicePointer;
import java.math.BigInteger;
import java.util.function.BooleanSupplier;

/** The host backend's {@link KernelCall}: the arguments as the core checked them, pointers into simulated memory. */
final class SimKernelCall implements KernelCall {
    private final String kernel;
    private final LaunchConfig config;
    private final Object[] args;
    private final BooleanSupplier lost;

    SimKernelCall(String kernel, LaunchConfig config, Object[] args) {
        this(kernel, config, args, () -> false);
    }

    SimKernelCall(String kernel, LaunchConfig config, Object[] args, BooleanSupplier lost) {
        this.kernel = kernel;
        this.config = config;
        this.args = args;
        this.lost = lost;
    }

    @Override
    public boolean deviceLost() {
        return lost.getAsBoolean();
    }

    @Override
    public LaunchConfig config() {
        return config;
    }

    @Override
    public int argCount() {
        return args.length;
    }

    @Override
    public int intArg(int i) {
        return (Integer) args[i];
    }

    @Override
    public long longArg(int i) {
        return (Long) args[i];
    }

    @Override
    public float floatArg(int i) {
        return (Float) args[i];
    }

    @Override
    public double doubleArg(int i) {
        return (Double) args[i];
    }

    @Override
    public ByteBuffer bytes(int i) {
        DevicePointer p = (DevicePointer) args[i];
        return ((SimMemory) p.memory()).view(p.offset(), p.length());
    }

    @Override
    public FloatBuffer floats(int i) {
        return bytes(i).asFloatBuffer();
    }

    @Override
    public IntBuffer ints(int i) {
        return bytes(i).asIntBuffer();
    }

    @Override
    public void requireElements(int i, long elements, int elementBytes) {
        long have = ((DevicePointer) args[i]).length();
        // by division: elements * elementBytes can pass Long.MAX_VALUE and wrap to a size that fits
        if (elementBytes > 0 && elements > have / elementBytes) {
            BigInteger need = BigInteger.valueOf(elements).multiply(BigInteger.valueOf(elementBytes));
            throw new IndexOutOfBoundsException("kernel " + kernel + " parameter " + i + " accesses " + need
                    + " bytes but its buffer has " + have + " (on a GPU: CUDA_ERROR_ILLEGAL_ADDRESS)");
        }
    }
}
