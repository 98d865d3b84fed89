package org.jgpu.internal;

import java.util.List;
import org.jgpu.Context;
import org.jgpu.internal.hazard.BufferState;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.NativeMemory;

/**
 * What device and host buffers share: the allocation, the slice's range in it, the lifetime.
 *
 * <p>A root buffer owns the allocation (and its {@link Handle}); a slice refers to its parent,
 * which keeps the root reachable as long as any slice is.
 */
abstract class CoreBuffer {
    final CoreContext ctx;
    private final NativeMemory memory;
    private final String name;
    private final long base;
    private final long length;
    private final CoreBuffer parent;
    private final CoreBuffer root;
    private final BufferState state;
    private final Handle handle;
    private final CoreStream orderedBy;
    /**
     * Names this view in messages and operation tags by its {@code toString()}, without keeping
     * the buffer reachable (a backend may keep tags of recent operations).
     */
    private final Object label;
    private volatile boolean sliceClosed;

    /** A root buffer. */
    CoreBuffer(CoreContext ctx, NativeMemory memory, String name, String kind, CoreStream orderedBy) {
        this.ctx = ctx;
        this.memory = memory;
        this.name = name;
        this.base = 0;
        this.length = memory.size();
        this.parent = null;
        this.root = this;
        this.orderedBy = orderedBy;
        BufferState s = new BufferState(kind + " '" + name + "'");
        this.state = s;
        this.label = s;
        this.handle = Handle.track(this, Handle.Kind.MEMORY, kind + " '" + name + "' (" + length + " bytes) of " + ctx.name(),
                () -> {
                    // close() has waited already; a leaked buffer may still be in use by the device
                    awaitUsersOf(ctx, s);
                    s.markFreed();
                    memory.free();
                }, ctx, Handle.OnLeak.WARN);
    }

    /**
     * Before a buffer nobody closed is freed: waits for the device work that still uses it. Its
     * failures go to the next synchronize, as the stream's own call would have reported them.
     */
    private static void awaitUsersOf(CoreContext ctx, BufferState state) {
        if (ctx.isClosed()) {
            return;     // the closing context waited for all work
        }
        for (int t : ctx.pendingUsers(state)) {
            try {
                ctx.awaitTimeline(t);
            } catch (RuntimeException e) {
                ctx.storeError(e);
            }
        }
    }

    /** A slice of {@code parent}. */
    CoreBuffer(CoreBuffer parent, long offset, long length) {
        this.ctx = parent.ctx;
        this.memory = parent.memory;
        this.name = parent.name + "[" + offset + ", " + (offset + length) + ")";
        this.base = parent.base + offset;
        this.length = length;
        this.parent = parent;
        this.root = parent.root;
        this.orderedBy = null;
        this.state = parent.state;
        this.label = new SliceName(state, base, base + length);
        this.handle = null;
    }

    /** A slice's name: {@code device buffer 'x' slice [16, 32)}. */
    private record SliceName(BufferState state, long start, long end) {
        @Override
        public String toString() {
            return state.name() + " slice [" + start + ", " + end + ")";
        }
    }

    /** @return e.g. {@code device buffer 'x'} */
    String describe() {
        return label.toString();
    }

    /** @return what names this view in an operation's tag, e.g. {@code device buffer 'x'} */
    Object label() {
        return label;
    }

    NativeMemory memory() {
        return memory;
    }

    /** @return the offset of this view in the allocation */
    long base() {
        return base;
    }

    boolean isHost() {
        return memory.isHost();
    }

    /** @return a hazard-tracker range for {@code [offset, offset + bytes)} of this view */
    Touch touch(long offset, long bytes, boolean reads, boolean writes) {
        return CoreContext.touch(state, base + offset, bytes, reads, writes);
    }

    void ensureOpen() {
        if (ctx.isClosed()) {
            throw new IllegalStateException(describe() + " is closed (its context " + ctx.name() + " was closed)");
        }
        if (root.handle.isClosed()) {
            throw new IllegalStateException(describe() + " of " + ctx.name() + " is closed"
                    + (root == this ? "" : " (its parent was closed)"));
        }
        for (CoreBuffer b = this; b != root; b = b.parent) {
            if (b.sliceClosed) {
                throw new IllegalStateException(describe() + " of " + ctx.name() + " is closed");
            }
        }
    }

    void checkSlice(long offset, long bytes) {
        ensureOpen();
        Checks.range(describe(), offset, bytes, length);
    }

    public String name() {
        return name;
    }

    public long size() {
        return length;
    }

    public Context context() {
        return ctx;
    }

    public boolean isOpen() {
        try {
            ensureOpen();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    boolean isStreamOrderedRoot() {
        return root.orderedBy != null;
    }

    /** @return the allocation's open/closed state and the synchronous copies in flight on it */
    Gate gate() {
        return root.handle.gate();
    }

    /**
     * Closes a slice (nothing to free), or closes the allocation as one cut: marked closed under
     * the context's lock (so no copy is accepted after), then the synchronous copies in flight
     * and the pending device work are waited for, then it is freed. A stream-ordered allocation
     * is freed in stream order after its users, without blocking. A second caller, or a caller
     * while the context closes, waits for the first to finish.
     */
    public void close() {
        if (root != this) {
            sliceClosed = true;
            return;
        }
        try {
            closeRoot();
        } finally {
            // reachable while close() waits, so the cleaner does not take it for a leak
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }

    private void closeRoot() {
        boolean contextClosing;
        boolean mine;
        synchronized (ctx.lock) {
            contextClosing = ctx.isClosed();
            mine = !contextClosing && handle.markClosed();
            if (mine) {
                state.markClosed();
            }
        }
        if (contextClosing) {
            ctx.awaitClosed();
            return;
        }
        if (!mine) {
            handle.gate().awaitReleased();
            return;
        }
        handle.gate().awaitCalls();
        if (orderedBy != null) {
            // under the lock, so its stream cannot close between the check and the free
            synchronized (ctx.lock) {
                if (orderedBy.isOpen()) {
                    for (int t : ctx.pendingUsers(state)) {
                        StreamSlot other = ctx.slot(t);
                        if (other != null && t != orderedBy.timeline.index()) {
                            orderedBy.waitFor(recordOn(other));
                        }
                    }
                    handle.releaseWith(() -> {
                        state.markFreed();
                        memory.freeAsync(orderedBy.nat);
                    });
                    return;
                }
            }
            // its stream is closed or closing: free once the work is done, like any buffer
        }
        RuntimeException failure = awaitIdle(ctx.pendingUsers(state));
        handle.release();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits until the device work that used this allocation is done.
     *
     * @return the first failure of that work, or null
     */
    RuntimeException awaitIdle() {
        return awaitIdle(ctx.pendingUsers(state));
    }

    private RuntimeException awaitIdle(List<Integer> users) {
        RuntimeException failure = null;
        for (int t : users) {
            try {
                ctx.awaitTimeline(t);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        return failure;
    }

    /** An event at the current end of another stream, for ordering a stream-ordered free. */
    private org.jgpu.Event recordOn(StreamSlot other) {
        CoreEvent e = new CoreEvent(ctx, ctx.backend().createEvent(java.util.EnumSet.noneOf(org.jgpu.EventOption.class)),
                ctx.nextName("free-event"), java.util.EnumSet.noneOf(org.jgpu.EventOption.class), Handle.OnLeak.RELEASE);
        synchronized (ctx.lock) {
            other.nat().record(e.nat);
            e.recorded(other.timeline().clock().copy(), other.nat());
        }
        return e;
    }

    @Override
    public String toString() {
        return describe();
    }
}
