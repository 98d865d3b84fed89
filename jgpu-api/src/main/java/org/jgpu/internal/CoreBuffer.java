package org.jgpu.internal;

import java.lang.ref.Reference;
import java.util.List;
import org.jgpu.Context;
import org.jgpu.Event;
import org.jgpu.internal.hazard.BufferState;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.NativeMemory;

/**
 * What device and host buffers share: the allocation, the slice's range in it, the lifetime.
 *
 * <p>A root buffer owns the allocation (and its {@link Handle}); a slice refers to its parent,
 * which keeps the root reachable as long as any slice is.
 *
 * <p>A buffer is its own {@link DevicePointer}: a launch hands the backend the buffer passed to
 * it, making nothing per argument.
 */
abstract class CoreBuffer implements DevicePointer {
    private final Scope scope;
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
     * The whole view read, written, or both, made on first use: an operation on a whole buffer
     * (the common case) makes no range. They name the view in operation tags without keeping the
     * buffer reachable (a backend may keep tags of recent operations).
     */
    private Touch reads;
    private Touch writes;
    private Touch readsWrites;
    private volatile boolean sliceClosed;

    /** A root buffer. */
    CoreBuffer(Scope scope, NativeMemory memory, String name, String kind, CoreStream orderedBy) {
        this.scope = scope;
        this.memory = memory;
        this.name = name;
        this.base = 0;
        this.length = memory.size();
        this.parent = null;
        this.root = this;
        this.orderedBy = orderedBy;
        BufferState s = new BufferState(kind + " '" + name + "'", length);
        this.state = s;
        this.handle = Handle.track(this, Handle.Kind.MEMORY, kind + " '" + name + "' (" + length + " bytes) of " + scope.name(),
                () -> {
                    // close() has waited already; a leaked buffer may still be in use by the device
                    awaitUsersOf(scope, s);
                    s.markFreed();
                    memory.free();
                }, scope, Handle.OnLeak.WARN);
    }

    /**
     * Before a buffer nobody closed is freed: waits for the device work that still uses it. Its
     * failures go to the next synchronize, as the stream's own call would have reported them.
     */
    private static void awaitUsersOf(Scope scope, BufferState state) {
        if (scope.sequencer().isClosed()) {
            return;     // the closing context waited for all work
        }
        for (int t : scope.sequencer().pendingUsers(state)) {
            try {
                scope.registry().awaitStream(t);
            } catch (RuntimeException e) {
                scope.completions().storeError(e);
            }
        }
    }

    /** A slice of {@code parent}. */
    CoreBuffer(CoreBuffer parent, long offset, long length) {
        this.scope = parent.scope;
        this.memory = parent.memory;
        this.name = parent.name + "[" + offset + ", " + (offset + length) + ")";
        this.base = parent.base + offset;
        this.length = length;
        this.parent = parent;
        this.root = parent.root;
        this.orderedBy = null;
        this.state = parent.state;
        this.handle = null;
    }

    /** @return e.g. {@code device buffer 'x'}, or {@code device buffer 'x' slice [16, 32)} for a slice */
    String describe() {
        return Touch.describe(state, base, base + length);
    }

    @Override
    public NativeMemory memory() {
        return memory;
    }

    /** @return the offset of this view in the allocation, as {@link #base()} */
    @Override
    public long offset() {
        return base;
    }

    /** @return the bytes of this view, as {@code size()} */
    @Override
    public long length() {
        return length;
    }

    /** @return the offset of this view in the allocation */
    long base() {
        return base;
    }

    boolean isHost() {
        return memory.isHost();
    }

    /** @return true if a kernel may take this view as a pointer: device memory, or mapped host memory */
    abstract boolean isDeviceVisible();

    /** @return a hazard-tracker range for {@code [offset, offset + bytes)} of this view */
    Touch touch(long offset, long bytes, boolean reads, boolean writes) {
        if (offset == 0 && bytes == length && (reads || writes)) {
            return touch(reads, writes);
        }
        return new Touch(state, base + offset, base + offset + bytes, reads, writes);
    }

    /**
     * @return the whole view as a hazard-tracker range, made once per kind of access (racing
     *         threads may each make one: they are equal and immutable)
     */
    Touch touch(boolean reads, boolean writes) {
        if (reads && writes) {
            Touch t = readsWrites;
            return t != null ? t : (readsWrites = whole(true, true));
        }
        if (writes) {
            Touch t = this.writes;
            return t != null ? t : (this.writes = whole(false, true));
        }
        Touch t = this.reads;
        return t != null ? t : (this.reads = whole(true, false));
    }

    private Touch whole(boolean r, boolean w) {
        return new Touch(state, base, base + length, r, w);
    }

    void ensureOpen() {
        if (scope.sequencer().isClosed()) {
            throw new IllegalStateException(describe() + " is closed (its context " + scope.name() + " was closed)");
        }
        if (root.handle.isClosed()) {
            throw new IllegalStateException(describe() + " of " + scope.name() + " is closed"
                    + (root == this ? "" : " (its parent was closed)"));
        }
        for (CoreBuffer b = this; b != root; b = b.parent) {
            if (b.sliceClosed) {
                throw new IllegalStateException(describe() + " of " + scope.name() + " is closed");
            }
        }
    }

    void checkSlice(long offset, long bytes) {
        ensureOpen();
        Checks.range(this, offset, bytes, length);
    }

    public String name() {
        return name;
    }

    public long size() {
        return length;
    }

    public Context context() {
        return scope.context();
    }

    /** @return the owning context's parts */
    Scope scope() {
        return scope;
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
            Reference.reachabilityFence(this);
        }
    }

    private void closeRoot() {
        Sequencer sequencer = scope.sequencer();
        // marked under the lock: an enqueue either came before or sees the buffer closed
        Closing closing = sequencer.exclusive(() -> {
            if (sequencer.isClosed()) {
                return Closing.CONTEXT_CLOSING;
            }
            if (!handle.markClosed()) {
                return Closing.BY_ANOTHER;
            }
            state.markClosed();
            return Closing.MINE;
        });
        if (closing == Closing.CONTEXT_CLOSING) {
            sequencer.awaitClosed();
            return;
        }
        boolean mine = closing == Closing.MINE;
        if (!mine) {
            handle.gate().awaitReleased();
            return;
        }
        handle.gate().awaitCalls();
        if (orderedBy != null) {
            // under the lock, so its stream cannot close between the check and the free
            boolean freed = sequencer.exclusive(() -> {
                if (!orderedBy.isOpen()) {
                    return false;
                }
                for (int t : sequencer.pendingUsers(state)) {
                    StreamState other = scope.registry().stream(t);
                    if (other != null && t != orderedBy.state().clock().index()) {
                        orderedBy.waitFor(recordOn(other));
                    }
                }
                handle.releaseWith(() -> {
                    state.markFreed();
                    memory.freeAsync(orderedBy.state().nativeStream());
                });
                return true;
            });
            if (freed) {
                return;
            }
            // its stream is closed or closing: free once the work is done, like any buffer
        }
        RuntimeException failure = awaitIdle(sequencer.pendingUsers(state));
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
        return awaitIdle(scope.sequencer().pendingUsers(state));
    }

    private RuntimeException awaitIdle(List<Integer> users) {
        RuntimeException failure = null;
        for (int t : users) {
            try {
                scope.registry().awaitStream(t);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        return failure;
    }

    /**
     * An event at the current end of another stream (of this context, or another of its domain),
     * for ordering a stream-ordered free.
     */
    private Event recordOn(StreamState other) {
        RecordedEvent e = new RecordedEvent(other.scope());
        other.sequencer().record(other, e, null);
        return e;
    }

    /** Who closes a buffer: its context (closing), another caller, or this one. */
    private enum Closing { CONTEXT_CLOSING, BY_ANOTHER, MINE }

    @Override
    public String toString() {
        return describe();
    }
}
