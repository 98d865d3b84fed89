package org.jgpu.internal;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifetime of one native resource: whether it is closed, how to release it, and what to say
 * if its owner becomes unreachable while still open.
 *
 * <p>A handle never refers to its owner (or the cleaner could not run); it holds only the
 * native objects that {@code release} frees.
 */
final class Handle implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("org.jgpu.leaks");
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jgpu-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** What becoming unreachable while open means for a resource. */
    enum OnLeak {
        /** a leak: warn with the allocation site, then release */
        WARN,
        /** the library manages it (events from {@code Stream.record()}): release quietly */
        RELEASE
    }

    /** What the resource is; a context closes them in this order (streams last). */
    enum Kind {
        /** a buffer */
        MEMORY,
        /** an event */
        EVENT,
        /** a module */
        MODULE,
        /** a captured graph */
        GRAPH,
        /** a stream */
        STREAM
    }

    private final AtomicBoolean closed = new AtomicBoolean();
    private final String description;
    private final Throwable site;
    private final Runnable release;
    private final CoreContext context;
    private final OnLeak onLeak;
    private final Kind kind;
    private Cleaner.Cleanable cleanable;

    private Handle(Kind kind, String description, Throwable site, Runnable release, CoreContext context, OnLeak onLeak) {
        this.kind = kind;
        this.description = description;
        this.site = site;
        this.release = release;
        this.context = context;
        this.onLeak = onLeak;
    }

    /**
     * Starts tracking a resource.
     *
     * @param owner the object whose unreachability means a leak
     * @param kind what the resource is
     * @param description e.g. {@code device buffer 'x' (4096 bytes) of context#1(host)}
     * @param release frees the native resource; must not refer to owner
     * @param context where release failures are stored, and which releases it on close
     * @param onLeak what unreachability means
     * @return the handle
     */
    static Handle track(Object owner, Kind kind, String description, Runnable release, CoreContext context, OnLeak onLeak) {
        Throwable site = null;
        if (onLeak == OnLeak.WARN) {
            site = new Throwable("allocated here");
            // the user's frames say where; jgpu's own constructors say nothing
            site.setStackTrace(java.util.Arrays.stream(site.getStackTrace())
                    .filter(f -> !f.getClassName().startsWith("org.jgpu.internal."))
                    .toArray(StackTraceElement[]::new));
        }
        Handle h = new Handle(kind, description, site, release, context, onLeak);
        h.cleanable = CLEANER.register(owner, h);
        context.adopt(h);
        return h;
    }

    Kind kind() {
        return kind;
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Marks the resource closed; the caller then waits for its work and calls {@link #release()}.
     *
     * @return true if this call closed it, false if it was closed already
     */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** Releases the native resource of a handle this thread marked closed, and stops tracking it. */
    void release() {
        releaseWith(release);
    }

    /**
     * Like {@link #release()}, with another way to free (a stream-ordered free, say).
     *
     * @param how what frees the resource this time
     */
    void releaseWith(Runnable how) {
        try {
            how.run();
        } finally {
            context.forget(this);
            cleanable.clean();
        }
    }

    /** Closes and releases without waiting (the context is closing and has waited). */
    void closeNow() {
        if (markClosed()) {
            release();
        }
    }

    /** Runs on the cleaner thread when the owner became unreachable, or on {@code clean()}. */
    @Override
    public void run() {
        if (!markClosed()) {
            return;
        }
        if (onLeak == OnLeak.WARN) {
            LOG.warn("leak: {} became unreachable without close(); releasing it now. Allocated at:", description, site);
        }
        try {
            release.run();
        } catch (RuntimeException e) {
            context.storeError(new org.jgpu.GpuException("releasing leaked " + description + " failed", e));
        } finally {
            context.forget(this);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
