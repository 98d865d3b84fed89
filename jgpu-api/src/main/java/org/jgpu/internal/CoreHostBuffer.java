package org.jgpu.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
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
    /** Mapped into the device's address space: a kernel may take it as a pointer. */
    private final boolean mapped;

    CoreHostBuffer(Scope scope, NativeMemory memory, String name, Set<HostAllocOption> options) {
        super(scope, memory, name, "host buffer", null);
        this.options = Collections.unmodifiableSet(options);
        this.mapped = options.contains(HostAllocOption.MAPPED);
    }

    private CoreHostBuffer(CoreHostBuffer parent, long offset, long length) {
        super(parent, offset, length);
        this.options = parent.options;
        this.mapped = parent.mapped;
    }

    @Override
    boolean isDeviceVisible() {
        return mapped;
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

    /**
     * Checks a host access of {@code [offset, offset + bytes)} and returns a view of it, with the
     * buffer's gate entered: the caller ends the access with {@link #done()}, and closing the
     * buffer waits for it before the memory is freed.
     */
    private ByteBuffer access(String op, long offset, long bytes, boolean reads, boolean writes) {
        enter();
        try {
            Checks.range(this, offset, bytes, size());
            if (base() + offset + bytes > Integer.MAX_VALUE) {
                throw new UnsupportedOperationException(describe() + ": host access past 2 GiB - 1 bytes; use a slice");
            }
            scope().sequencer().hostAccess(op, touch(offset, bytes, reads, writes), scope().registry()::awaitStream);
            ByteBuffer all = memory().hostView();
            return all.position((int) (base() + offset)).limit((int) (base() + offset + bytes)).slice()
                    .order(ByteOrder.nativeOrder());
        } catch (RuntimeException | Error e) {
            done();
            throw e;
        }
    }

    /** @throws IllegalStateException naming the buffer if it is closed; else counts an access */
    private void enter() {
        ensureOpen();
        if (!gate().enter()) {
            throw new IllegalStateException(describe() + " of " + scope().name() + " is closed");
        }
    }

    /** Ends an access that {@link #access} or {@link #shared} began. */
    private void done() {
        gate().exit();
        Reference.reachabilityFence(this);   // the cleaner must not free a buffer in use
    }

    /** @return the byte offset of element {@code index} of the buffer counted as an array of {@code type} */
    private long bytes(long index, ArrayType type) {
        if (index < 0 || index > Long.MAX_VALUE / type.bytes) {
            throw new IndexOutOfBoundsException(type.element + " index " + index + " is outside " + describe());
        }
        return index * type.bytes;
    }

    @Override
    public ByteBuffer asByteBuffer() {
        // the view outlives the call: using it after close() is the caller's use-after-free
        ByteBuffer view = access("asByteBuffer", 0, size(), true, true);
        done();
        return view;
    }

    @Override
    public void write(long index, float[] src, int offset, int length) {
        write(ArrayType.FLOAT, index, src, offset, length);
    }

    @Override
    public void read(long index, float[] dst, int offset, int length) {
        read(ArrayType.FLOAT, index, dst, offset, length);
    }

    @Override
    public float[] toFloatArray() {
        return (float[]) toArray(ArrayType.FLOAT);
    }

    @Override
    public void write(long index, int[] src, int offset, int length) {
        write(ArrayType.INT, index, src, offset, length);
    }

    @Override
    public void read(long index, int[] dst, int offset, int length) {
        read(ArrayType.INT, index, dst, offset, length);
    }

    @Override
    public int[] toIntArray() {
        return (int[]) toArray(ArrayType.INT);
    }

    @Override
    public void write(long index, long[] src, int offset, int length) {
        write(ArrayType.LONG, index, src, offset, length);
    }

    @Override
    public void read(long index, long[] dst, int offset, int length) {
        read(ArrayType.LONG, index, dst, offset, length);
    }

    @Override
    public long[] toLongArray() {
        return (long[]) toArray(ArrayType.LONG);
    }

    @Override
    public void write(long index, double[] src, int offset, int length) {
        write(ArrayType.DOUBLE, index, src, offset, length);
    }

    @Override
    public void read(long index, double[] dst, int offset, int length) {
        read(ArrayType.DOUBLE, index, dst, offset, length);
    }

    @Override
    public double[] toDoubleArray() {
        return (double[]) toArray(ArrayType.DOUBLE);
    }

    @Override
    public void write(long index, byte[] src, int offset, int length) {
        write(ArrayType.BYTE, index, src, offset, length);
    }

    @Override
    public void read(long index, byte[] dst, int offset, int length) {
        read(ArrayType.BYTE, index, dst, offset, length);
    }

    @Override
    public byte[] toByteArray() {
        return (byte[]) toArray(ArrayType.BYTE);
    }

    /** A checked host write of {@code src[offset, offset + length)} at element {@code index}. */
    void write(ArrayType type, long index, Object src, int offset, int length) {
        Checks.notNull(src, "src");
        Checks.arrayRange("src", offset, length, java.lang.reflect.Array.getLength(src));
        ByteBuffer v = access(type.writeOp, bytes(index, type), type.bytesOf(length), false, true);
        try {
            type.put(v, src, offset, length);
        } finally {
            done();
        }
    }

    private void read(ArrayType type, long index, Object dst, int offset, int length) {
        Checks.notNull(dst, "dst");
        Checks.arrayRange("dst", offset, length, java.lang.reflect.Array.getLength(dst));
        ByteBuffer v = access(type.readOp, bytes(index, type), type.bytesOf(length), true, false);
        try {
            type.get(v, dst, offset, length);
        } finally {
            done();
        }
    }

    /**
     * Writes {@code src[offset, offset + length)} at the start without a hazard check: for the
     * context's own staging memory, whose reuse its pool orders ({@link ArrayTransfers}).
     */
    void stage(ArrayType type, Object src, int offset, int length) {
        enter();
        try {
            type.put(staged(type.bytesOf(length)), src, offset, length);
        } finally {
            done();
        }
    }

    /** @return a view of the first {@code bytes} bytes in native order, unchecked (see {@link #stage}) */
    ByteBuffer staged(long bytes) {
        return memory().hostView().slice((int) base(), (int) bytes).order(ByteOrder.nativeOrder());
    }

    private Object toArray(ArrayType type) {
        if (size() % type.bytes != 0) {
            ensureOpen();
            throw new IllegalArgumentException(describe() + " has " + size() + " bytes, not a multiple of the "
                    + type.bytes + " bytes of a " + type.element + ": read part of it with read(index, " + type.element
                    + "[]), or take a slice");
        }
        if (size() / type.bytes > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException(describe() + " has " + size() + " bytes, more than a "
                    + type.element + "[] can hold; read it in parts with read(index, " + type.element + "[], offset, length)");
        }
        Object array = type.newArray((int) (size() / type.bytes));
        read(type, 0, array, 0, (int) (size() / type.bytes));
        return array;
    }

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /**
     * A view of {@code bytes} at {@code offset}, bounds- and alignment-checked, not hazard-checked,
     * with the gate entered as in {@link #access}.
     */
    private ByteBuffer shared(long offset, int bytes) {
        enter();
        try {
            Checks.range(this, offset, bytes, size());
            if ((base() + offset) % bytes != 0) {
                throw new IllegalArgumentException(describe() + ": offset " + offset + " is not a multiple of " + bytes);
            }
            return memory().hostView();
        } catch (RuntimeException | Error e) {
            done();
            throw e;
        }
    }

    @Override
    public long getLongVolatile(long offset) {
        ByteBuffer v = shared(offset, 8);
        try {
            return (long) LONGS.getVolatile(v, (int) (base() + offset));
        } finally {
            done();
        }
    }

    @Override
    public void putIntVolatile(long offset, int value) {
        ByteBuffer v = shared(offset, 4);
        try {
            INTS.setVolatile(v, (int) (base() + offset), value);
        } finally {
            done();
        }
    }

    @Override
    public float getFloat(long index) {
        ByteBuffer v = access("getFloat", bytes(index, ArrayType.FLOAT), 4, true, false);
        try {
            return v.getFloat(0);
        } finally {
            done();
        }
    }

    @Override
    public void putFloat(long index, float value) {
        ByteBuffer v = access("putFloat", bytes(index, ArrayType.FLOAT), 4, false, true);
        try {
            v.putFloat(0, value);
        } finally {
            done();
        }
    }
}
