package org.jgpu.internal;

import java.lang.ref.Reference;

/**
 * What events, modules and graphs share: a context, a label for messages, and a lifetime held by
 * a {@link Handle}.
 */
abstract class CoreResource {
    private final Scope scope;
    private final String label;
    private final Handle handle;

    /**
     * @param scope the owning context's parts
     * @param label e.g. {@code event 'x'}
     * @param kind what the resource is
     * @param release frees the native part; must not refer to this object
     * @param onLeak what unreachability while open means
     */
    CoreResource(Scope scope, String label, Handle.Kind kind, Runnable release, Handle.OnLeak onLeak) {
        this.scope = scope;
        this.label = label;
        this.handle = Handle.track(this, kind, label + " of " + scope.name(), release, scope, onLeak);
    }

    /** @return the owning context's parts */
    Scope scope() {
        return scope;
    }

    /** @throws IllegalStateException naming the resource if it or its context is closed */
    void ensureOpen() {
        if (scope.sequencer().isClosed()) {
            throw new IllegalStateException(label + " is closed (its context " + scope.name() + " was closed)");
        }
        if (handle.isClosed()) {
            throw new IllegalStateException(label + " of " + scope.name() + " is closed");
        }
    }

    /**
     * Starts a call that uses the native object outside the context's lock (a wait, a poll):
     * close waits for it to end before it destroys the object. End it with {@link #exit()}.
     *
     * @throws IllegalStateException naming the resource if it or its context is closed
     */
    void enter() {
        if (!handle.gate().enter()) {
            ensureOpen();
            throw new IllegalStateException(label + " of " + scope.name() + " is closed");
        }
        try {
            ensureOpen();
        } catch (RuntimeException e) {
            handle.gate().exit();
            throw e;
        }
    }

    /** Ends a call that {@link #enter()} let in. */
    void exit() {
        handle.gate().exit();
        Reference.reachabilityFence(this);   // the cleaner must not destroy a resource in use
    }

    public boolean isOpen() {
        return !scope.sequencer().isClosed() && !handle.isClosed();
    }

    /** Closes the resource once the calls using it have ended; a second caller waits for the first. */
    public void close() {
        try {
            if (handle.markClosed()) {
                handle.gate().awaitCalls();
                handle.release();
            } else {
                handle.gate().awaitReleased();
            }
        } finally {
            Reference.reachabilityFence(this);   // reachable while close() waits, so it is not taken for a leak
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
