package org.jgpu.internal;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import org.jgpu.GpuException;
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
    /** The core's frames, left out of an allocation site: they say nothing about where. */
    private static final String CORE_PACKAGE = Handle.class.getPackageName() + ".";
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jgpu-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** What becoming unreachable while open means for a resource. */
    enum OnLeak {
        /** a leak: warn (with the allocation site under {@code Diagnostic.CALLER_FRAMES}), then release */
        WARN,
        /** the library manages it (a context's default stream): release quietly */
        RELEASE
    }

    /** What the resource is; a context closes them in this order (streams last). */
    enum Kind {
        /** a buffer */
        MEMORY,
        /** an event */
        EVENT,
        /** a captured graph: closed before modules, whose kernels its launches still name */
        GRAPH,
        /** a module */
        MODULE,
        /** a stream */
        STREAM
    }

    private final Gate gate;
    private final String description;
    private final Throwable site;
    private final Runnable release;
    private final Scope scope;
    private final OnLeak onLeak;
    private final Kind kind;
    private Cleaner.Cleanable cleanable;

    private Handle(Gate gate, Kind kind, String description, Throwable site, Runnable release, Scope scope,
            OnLeak onLeak) {
        this.gate = gate;
        this.kind = kind;
        this.description = description;
        this.site = site;
        this.release = release;
        this.scope = scope;
        this.onLeak = onLeak;
    }

    /**
     * Starts tracking a resource.
     *
     * @param owner the object whose unreachability means a leak
     * @param kind what the resource is
     * @param description e.g. {@code device buffer 'x' (4096 bytes) of context#1(host)}
     * @param release frees the native resource; must not refer to owner
     * @param scope the context's parts: where release failures are stored, and what releases it on close
     * @param onLeak what unreachability means
     * @return the handle
     * @throws IllegalStateException if the context is closed (the resource is then released)
     */
    static Handle track(Object owner, Kind kind, String description, Runnable release, Scope scope, OnLeak onLeak) {
        return track(new Gate(), owner, kind, description, release, scope, onLeak);
    }

    /**
     * Like {@link #track(Object, Kind, String, Runnable, Scope, OnLeak)}, with a gate that
     * others (the context, for a stream) use too.
     *
     * @param gate the resource's open/closed state and calls in flight
     * @param owner the object whose unreachability means a leak
     * @param kind what the resource is
     * @param description e.g. {@code device buffer 'x' (4096 bytes) of context#1(host)}
     * @param release frees the native resource; must not refer to owner
     * @param scope the context's parts: where release failures are stored, and what releases it on close
     * @param onLeak what unreachability means
     * @return the handle
     * @throws IllegalStateException if the context is closed (the resource is then released)
     */
    static Handle track(Gate gate, Object owner, Kind kind, String description, Runnable release, Scope scope,
            OnLeak onLeak) {
        Throwable site = null;
        // a stack trace per allocation costs more than the allocation itself: only when asked
        if (onLeak == OnLeak.WARN && scope.diagnostics().recordsCallerFrames()) {
            site = new Throwable("allocated here");
            // the user's frames say where; jgpu's own constructors say nothing
            site.setStackTrace(Arrays.stream(site.getStackTrace())
                    .filter(f -> !f.getClassName().startsWith(CORE_PACKAGE))
                    .toArray(StackTraceElement[]::new));
        }
        Handle h = new Handle(gate, kind, description, site, release, scope, onLeak);
        try {
            // under the context's lock: a resource made while the context closes is refused, not lost
            scope.registry().adopt(h);
        } catch (RuntimeException e) {
            gate.close();
            try {
                release.run();
            } finally {
                gate.released();
            }
            throw e;
        }
        h.cleanable = CLEANER.register(owner, h);
        return h;
    }

    Kind kind() {
        return kind;
    }

    boolean isClosed() {
        return gate.isClosed();
    }

    /** @return the resource's gate, for calls that use it outside the context's lock */
    Gate gate() {
        return gate;
    }

    /**
     * Marks the resource closed; the caller then waits for its calls in flight and its work, and
     * calls {@link #release()}.
     *
     * @return true if this call closed it, false if it was closed already
     */
    boolean markClosed() {
        return gate.close();
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
            scope.registry().forget(this);
            cleanable.clean();
            gate.released();
        }
    }

    /**
     * For a closing context, which has waited for the device: closes and releases the resource
     * once its calls in flight are done, or waits for whoever is closing it already.
     */
    void closeNow() {
        if (markClosed()) {
            gate.awaitCalls();
            release();
        } else {
            gate.awaitReleased();
        }
    }

    /** Runs on the cleaner thread when the owner became unreachable, or on {@code clean()}. */
    @Override
    public void run() {
        if (!markClosed()) {
            return;
        }
        if (onLeak == OnLeak.WARN) {
            LOG.warn(leakMessage(), site);
        }
        try {
            release.run();
        } catch (RuntimeException e) {
            scope.completions().storeError(new GpuException("releasing leaked " + description + " failed", e));
        } finally {
            scope.registry().forget(this);
            gate.released();
        }
    }

    /**
     * @return the leak warning: the resource, and where it was allocated or how to find out
     */
    String leakMessage() {
        return "leak: " + description + " became unreachable without close(); releasing it now. " + (site != null
                ? "Allocated at:" : "To see where it was allocated, create the context with Diagnostic.CALLER_FRAMES");
    }

    @Override
    public String toString() {
        return description;
    }
}
