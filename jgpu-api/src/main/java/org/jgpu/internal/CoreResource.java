package org.jgpu.internal;

/**
 * What events, modules and graphs share: a context, a label for messages, and a lifetime held by
 * a {@link Handle}.
 */
abstract class CoreResource {
    final CoreContext ctx;
    private final String label;
    private final Handle handle;

    /**
     * @param ctx the owning context
     * @param label e.g. {@code event 'x'}
     * @param kind what the resource is
     * @param release frees the native part; must not refer to this object
     * @param onLeak what unreachability while open means
     */
    CoreResource(CoreContext ctx, String label, Handle.Kind kind, Runnable release, Handle.OnLeak onLeak) {
        this.ctx = ctx;
        this.label = label;
        this.handle = Handle.track(this, kind, label + " of " + ctx.name(), release, ctx, onLeak);
    }

    /** @throws IllegalStateException naming the resource if it or its context is closed */
    void ensureOpen() {
        if (ctx.isClosed()) {
            throw new IllegalStateException(label + " is closed (its context " + ctx.name() + " was closed)");
        }
        if (handle.isClosed()) {
            throw new IllegalStateException(label + " of " + ctx.name() + " is closed");
        }
    }

    public boolean isOpen() {
        return !ctx.isClosed() && !handle.isClosed();
    }

    public void close() {
        if (handle.markClosed()) {
            handle.release();
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
