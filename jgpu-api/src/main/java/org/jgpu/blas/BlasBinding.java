package org.jgpu.blas;

import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.Stream;

/**
 * What a stream keeps of its {@link Blas} (its attachment): the backend's BLAS, the calls in
 * flight, and whether it is closed. It holds no reference to the stream (see {@link BlasBackend}).
 *
 * <p>It is released once, by whichever closes it first: {@link Blas#close()} or the stream's close
 * (through {@link #close()}, after the stream's work is done). The other waits for that release.
 */
final class BlasBinding implements AutoCloseable {
    final BlasBackend backend;
    /** Set first by a closer: a call that sees it is refused. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** One permit per call in flight; the releaser takes them all, so it waits for those calls. */
    private final Semaphore calls = new Semaphore(Integer.MAX_VALUE);
    /** Completed once the backend's handle is released. */
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    /** Completed when the stream closes it: the stream's work is done. */
    private final CompletableFuture<Void> streamDone = new CompletableFuture<>();
    /** The face handed out, while someone holds it: {@link Blas#on} gives the same one. */
    private WeakReference<Blas> face = new WeakReference<>(null);

    BlasBinding(BlasBackend backend) {
        this.backend = backend;
    }

    /**
     * @param stream the stream this binding is attached to
     * @return the face callers hold, the same one while any caller holds it
     */
    synchronized Blas face(Stream stream) {
        Blas f = face.get();
        if (f == null) {
            f = new Blas(stream, this);
            face = new WeakReference<>(f);
        }
        return f;
    }

    /** @return true once a close has begun */
    boolean isClosed() {
        return closed.get();
    }

    /**
     * Starts a call; pair with {@link #exit()} in a finally block.
     *
     * @param blas the face, for the message
     * @throws IllegalStateException naming it if it is closed
     */
    void enter(Blas blas) {
        // counted first, checked after: the closer sets the flag first and counts after, so a
        // call is either counted before the closer takes the permits or sees the flag
        if (!closed.get() && calls.tryAcquire()) {
            if (!closed.get()) {
                return;
            }
            calls.release();
        }
        throw new IllegalStateException(blas + " is closed; make a new one with Blas.on(stream)");
    }

    void exit() {
        calls.release();
    }

    /**
     * Starts an early close.
     *
     * @return true if this caller must release (it was first), false if another closer does
     */
    boolean beginClose() {
        return closed.compareAndSet(false, true);
    }

    /** Waits until the handle is released, by whichever closer does it. */
    void awaitReleased() {
        released.join();
    }

    /** Waits until the stream's close has waited for its work (a closing stream closes this). */
    void awaitStreamDone() {
        streamDone.join();
    }

    /**
     * Waits for the calls in flight, then releases the backend's handle; called once, by the
     * closer that {@link #beginClose() began}, which then calls {@link #markReleased()}.
     *
     * @throws org.jgpu.GpuException if the handle cannot be released
     */
    void release() {
        calls.acquireUninterruptibly(Integer.MAX_VALUE);
        backend.close();
    }

    /** Lets the other closers go on: the handle is released (or failed to be) and off the stream. */
    void markReleased() {
        released.complete(null);
    }

    /**
     * The stream's close: its work is done. Releases the handle unless an early close of the
     * face is under way, which this then waits for.
     *
     * @throws org.jgpu.GpuException if the handle cannot be released
     */
    @Override
    public void close() {
        streamDone.complete(null);
        if (beginClose()) {
            try {
                release();   // the stream took it off before closing it
            } finally {
                markReleased();
            }
        } else {
            released.join();
        }
    }
}
