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

    private static long bytes(long elements, int size, String what) {
        if (elements < 0 || elements > Long.MAX_VALUE / size) {
            throw new IndexOutOfBoundsException(what + " index " + elements + " out of range");
        }
        return elements * size;
    }

    @Override
    public ByteBuffer asByteBuffer() {
        // the view outlives the call: using it after close() is the caller's use-after-free
        ByteBuffer view = access("asByteBuffer", 0, size(), true, true);
        done();
        return view;
    }

    @Override
    public void write(long index, float[] src) {
        Checks.notNull(src, "src");
        ByteBuffer v = access("write float[]", bytes(index, 4, "float"), 4L * src.length, false, true);
        try {
            v.asFloatBuffer().put(src);
        } finally {
            done();
        }
    }

    @Override
    public void read(long index, float[] dst) {
        Checks.notNull(dst, "dst");
        ByteBuffer v = access("read float[]", bytes(index, 4, "float"), 4L * dst.length, true, false);
        try {
            v.asFloatBuffer().get(dst);
        } finally {
            done();
        }
    }

    @Override
    public void write(long index, int[] src) {
        Checks.notNull(src, "src");
        ByteBuffer v = access("write int[]", bytes(index, 4, "int"), 4L * src.length, false, true);
        try {
            v.asIntBuffer().put(src);
        } finally {
            done();
        }
    }

    @Override
    public void read(long index, int[] dst) {
        Checks.notNull(dst, "dst");
        ByteBuffer v = access("read int[]", bytes(index, 4, "int"), 4L * dst.length, true, false);
        try {
            v.asIntBuffer().get(dst);
        } finally {
            done();
        }
    }

    @Override
    public void write(long offset, byte[] src) {
        Checks.notNull(src, "src");
        ByteBuffer v = access("write byte[]", offset, src.length, false, true);
        try {
            v.put(src);
        } finally {
            done();
        }
    }

    @Override
    public void read(long offset, byte[] dst) {
        Checks.notNull(dst, "dst");
        ByteBuffer v = access("read byte[]", offset, dst.length, true, false);
        try {
            v.get(dst);
        } finally {
            done();
        }
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
        ByteBuffer v = access("getFloat", bytes(index, 4, "float"), 4, true, false);
        try {
            return v.getFloat(0);
        } finally {
            done();
        }
    }

    @Override
    public void putFloat(long index, float value) {
        ByteBuffer v = access("putFloat", bytes(index, 4, "float"), 4, false, true);
        try {
            v.putFloat(0, value);
        } finally {
            done();
        }
    }
}
