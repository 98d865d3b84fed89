package org.jgpu.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.Set;
import org.jgpu.HostAllocOption;
import org.jgpu.HostBuffer;
import org.jgpu.spi.NativeMemory;

/**
 * The one implementation of {@link HostBuffer}: every host access is checked against pending
 * copies before it touches the memory.
 */
final class CoreHostBuffer extends CoreBuffer implements HostBuffer {
    private final Set<HostAllocOption> options;

    CoreHostBuffer(CoreContext ctx, NativeMemory memory, String name, Set<HostAllocOption> options) {
        super(ctx, memory, name, "host buffer", null);
        this.options = Collections.unmodifiableSet(options);
    }

    private CoreHostBuffer(CoreHostBuffer parent, long offset, long length) {
        super(parent, offset, length);
        this.options = parent.options;
    }

    @Override
    public Set<HostAllocOption> options() {
        return options;
    }

    @Override
    public HostBuffer slice(long offset, long length) {
        checkSlice(offset, length);
        return new CoreHostBuffer(this, offset, length);
    }

    /** Checks a host access of {@code [offset, offset + bytes)} and returns a view of it. */
    private ByteBuffer access(String op, long offset, long bytes, boolean reads, boolean writes) {
        ensureOpen();
        Checks.range(describe(), offset, bytes, size());
        if (base() + offset + bytes > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException(describe() + ": host access past 2 GiB - 1 bytes; use a slice");
        }
        ctx.hostAccess(op, touch(offset, bytes, reads, writes));
        ByteBuffer all = memory().hostView();
        return all.position((int) (base() + offset)).limit((int) (base() + offset + bytes)).slice().order(ByteOrder.nativeOrder());
    }

    private static long bytes(long elements, int size, String what) {
        if (elements < 0 || elements > Long.MAX_VALUE / size) {
            throw new IndexOutOfBoundsException(what + " index " + elements + " out of range");
        }
        return elements * size;
    }

    @Override
    public ByteBuffer asByteBuffer() {
        return access("asByteBuffer", 0, size(), true, true);
    }

    @Override
    public void write(long index, float[] src) {
        access("write float[]", bytes(index, 4, "float"), 4L * src.length, false, true).asFloatBuffer().put(src);
    }

    @Override
    public void read(long index, float[] dst) {
        access("read float[]", bytes(index, 4, "float"), 4L * dst.length, true, false).asFloatBuffer().get(dst);
    }

    @Override
    public void write(long index, int[] src) {
        access("write int[]", bytes(index, 4, "int"), 4L * src.length, false, true).asIntBuffer().put(src);
    }

    @Override
    public void read(long index, int[] dst) {
        access("read int[]", bytes(index, 4, "int"), 4L * dst.length, true, false).asIntBuffer().get(dst);
    }

    @Override
    public void write(long offset, byte[] src) {
        access("write byte[]", offset, src.length, false, true).put(src);
    }

    @Override
    public void read(long offset, byte[] dst) {
        access("read byte[]", offset, dst.length, true, false).get(dst);
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final java.lang.invoke.VarHandle INTS =
            java.lang.invoke.MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** A view of {@code bytes} at {@code offset}, bounds- and alignment-checked, not hazard-checked. */
    private ByteBuffer shared(long offset, int bytes) {
        ensureOpen();
        Checks.range(describe(), offset, bytes, size());
        if ((base() + offset) % bytes != 0) {
            throw new IllegalArgumentException(describe() + ": offset " + offset + " is not a multiple of " + bytes);
        }
        return memory().hostView();
    }

    @Override
    public long getLongVolatile(long offset) {
        return (long) LONGS.getVolatile(shared(offset, 8), (int) (base() + offset));
    }

    @Override
    public void putIntVolatile(long offset, int value) {
        INTS.setVolatile(shared(offset, 4), (int) (base() + offset), value);
    }

    @Override
    public float getFloat(long index) {
        return access("getFloat", bytes(index, 4, "float"), 4, true, false).getFloat(0);
    }

    @Override
    public void putFloat(long index, float value) {
        access("putFloat", bytes(index, 4, "float"), 4, false, true).putFloat(0, value);
    }
}
