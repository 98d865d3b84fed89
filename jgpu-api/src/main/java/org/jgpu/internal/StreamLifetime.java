package org.jgpu.internal;

import java.lang.ref.Reference;
import org.jgpu.Context;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.StreamOwnership;
import org.jgpu.spi.NativeStream;

/**
 * What a stream is and how it ends: its place in the context (its {@link StreamState} and
 * {@link Handle}), its open/closed checks, and its close. {@link CoreStream} adds the operations.
 */
abstract class StreamLifetime implements Stream {
    private final Scope scope;
    private final StreamState state;
    private final StreamOptions options;
    private final boolean isDefault;
    private final Kind kind;
    private final Handle handle;

    /** How a stream came to be: what it orders with, and who may close it. */
    enum Kind {
        /** created by the user: blocking or not as its options say; closable */
        CREATED,
        /** the legacy default stream: orders with every blocking stream; not closable */
        LEGACY_DEFAULT,
        /** a thread's per-thread default stream: blocking; not closable by the user */
        PER_THREAD_DEFAULT,
        /** made elsewhere and borrowed: blocking or not as its options say; closable; never destroyed */
        BORROWED
    }

    /** Called under the context's lock. */
    StreamLifetime(Scope scope, NativeStream stream, StreamOptions options, Kind kind) {
        this.scope = scope;
        this.options = options;
        this.kind = kind;
        this.isDefault = kind == Kind.LEGACY_DEFAULT || kind == Kind.PER_THREAD_DEFAULT;
        StreamState s = new StreamState(scope.sequencer().register(options.name(), kind == Kind.LEGACY_DEFAULT,
                isDefault || !options.nonBlocking()), stream, scope, new CallbackQueue(scope.completions()::handOff));
        this.state = s;
        Registry registry = scope.registry();
        registry.addStream(s);
        // a borrowed stream is its owner's to destroy: jgpu only detaches from it
        boolean ownsNative = kind != Kind.LEGACY_DEFAULT && kind != Kind.BORROWED;
        // the legacy default stream is held by its context, so it is closed only with it
        this.handle = Handle.track(s.gate(), this, Handle.Kind.STREAM, "stream '" + options.name() + "' of " + scope.name(),
                () -> registry.dropStream(s, ownsNative), scope, isDefault ? Handle.OnLeak.RELEASE : Handle.OnLeak.WARN);
    }

    /** @return the owning context's parts */
    Scope scope() {
        return scope;
    }

    /** @return what the context keeps of this stream */
    StreamState state() {
        return state;
    }

    /** @throws IllegalStateException if the stream is capturing: {@code op} would break the capture */
    void ensureNotCapturing(String op) {
        scope.sequencer().ensureNotCapturing(state, op);
    }

    void ensureOpen() {
        if (scope.sequencer().isClosed()) {
            throw new IllegalStateException("stream '" + name() + "' is closed (its context " + scope.name() + " was closed)");
        }
        state.ensureOpen();
    }

    /**
     * Starts a call that uses the backend stream outside the context's lock (a wait, a poll, a
     * synchronous copy): close waits for it to end before it destroys the stream. End it with
     * {@code state().gate().exit()}.
     *
     * @throws IllegalStateException naming the stream if it or its context is closed
     */
    void enter() {
        if (!state.gate().enter()) {
            ensureOpen();
            throw new IllegalStateException("stream '" + name() + "' of " + scope.name() + " is closed");
        }
        try {
            ensureOpen();
        } catch (RuntimeException e) {
            state.gate().exit();
            throw e;
        }
    }

    /** @return true for the legacy default stream, which cannot be captured */
    boolean isLegacyDefault() {
        return kind == Kind.LEGACY_DEFAULT;
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public Context context() {
        return scope.context();
    }

    @Override
    public StreamOptions options() {
        return options;
    }

    @Override
    public int priority() {
        return state.nativeStream().priority();
    }

    @Override
    public StreamOwnership ownership() {
        return kind == Kind.BORROWED ? StreamOwnership.BORROWED : isDefault ? StreamOwnership.DEFAULT : StreamOwnership.OWNED;
    }

    @Override
    public boolean isOpen() {
        return !scope.sequencer().isClosed() && !handle.isClosed();
    }

    /**
     * Closes the stream as one cut: marked closed under the context's lock (so no operation is
     * accepted after), then the calls in flight and the stream's work are waited for, then it is
     * destroyed. A second caller, or a caller while the context closes, waits for that to end.
     */
    @Override
    public void close() {
        if (isDefault) {
            throw new IllegalStateException("the default stream '" + name() + "' of " + scope.name()
                    + " cannot be closed; close the context");
        }
        Sequencer sequencer = scope.sequencer();
        // null: the context is closing
        Boolean mine = sequencer.exclusive(() -> sequencer.isClosed() ? null : handle.markClosed());
        try {
            if (mine == null) {
                sequencer.awaitClosed();
                return;
            }
            if (!mine) {
                state.gate().awaitReleased();
                return;
            }
            state.gate().awaitCalls();
            RuntimeException[] failure = new RuntimeException[1];
            // the host learns the stream's end even if its work failed: the stream is gone after this
            sequencer.awaitObserved(state, () -> state.clock().vector(), () -> {
                try {
                    state.nativeStream().synchronize();
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            });
            handle.release();
            if (failure[0] != null) {
                throw failure[0];
            }
        } finally {
            // while close() waits, the stream must stay reachable: else the cleaner would take
            // it for a leak (the JIT may drop 'this' after its last use)
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return "stream '" + name() + "'";
    }
}
