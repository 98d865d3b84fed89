package org.jgpu.internal;

import org.jgpu.Arg;
import org.jgpu.Buffer;
import org.jgpu.Kernel;
import org.jgpu.KernelArgs;

/**
 * The one implementation of {@link KernelArgs}: the argument array a launch hands on. A scalar
 * set to the value it holds keeps its box, so steady values allocate nothing.
 */
final class CoreKernelArgs implements KernelArgs {
    private final CoreKernel kernel;
    private final Object[] values;

    CoreKernelArgs(CoreKernel kernel) {
        this.kernel = kernel;
        this.values = new Object[kernel.signature().params().size()];
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    /** @return the arguments, as a launch hands them on (not copied) */
    Object[] values() {
        return values;
    }

    private int index(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("kernel '" + kernel.name() + "' has " + values.length + " parameter"
                    + (values.length == 1 ? "" : "s") + " " + kernel.signature() + ", not one at index " + index);
        }
        return index;
    }

    @Override
    public KernelArgs set(int index, Buffer buffer) {
        values[index(index)] = buffer;
        return this;
    }

    @Override
    public KernelArgs set(int index, Arg arg) {
        values[index(index)] = arg;
        return this;
    }

    @Override
    public KernelArgs set(int index, int value) {
        if (!(values[index(index)] instanceof Integer v && v == value)) {
            values[index] = value;
        }
        return this;
    }

    @Override
    public KernelArgs set(int index, long value) {
        if (!(values[index(index)] instanceof Long v && v == value)) {
            values[index] = value;
        }
        return this;
    }

    @Override
    public KernelArgs set(int index, float value) {
        // compared by bits: NaN keeps its box, and 0.0f and -0.0f stay apart
        if (!(values[index(index)] instanceof Float v && Float.floatToRawIntBits(v) == Float.floatToRawIntBits(value))) {
            values[index] = value;
        }
        return this;
    }

    @Override
    public KernelArgs set(int index, double value) {
        if (!(values[index(index)] instanceof Double v && Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(value))) {
            values[index] = value;
        }
        return this;
    }

    @Override
    public String toString() {
        return "arguments of " + kernel;
    }
}
