package org.jgpu.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The open/closed state of one object, with the calls in flight on it, so that closing is a
 * clean cut: a call that got in before the close finishes before the object is released, and a
 * call after it is refused.
 *
 * <p>A call {@link #enter() enters} before it uses the object and {@link #exit() exits} after;
 * the closer {@link #close() closes} the gate, {@link #awaitCalls() waits} for the calls inside,
 * releases the object and says it is {@link #released() released}. Entering counts first and
 * checks after, and closing sets the flag first and counts after, so a call either is counted
 * before the closer looks or sees the gate closed.
 */
final class Gate {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean released;
    /** Completed on release, for waits that must not block; made on demand, guarded by this. */
    private CompletableFuture<Void> onRelease;

    /** @return true if the gate is open and the call is now counted; false if it is closed */
    boolean enter() {
        calls.incrementAndGet();
        if (closed.get()) {
            exit();
            return false;
        }
        return true;
    }

    /** Ends a call that {@link #enter()} let in. */
    void exit() {
        if (calls.decrementAndGet() == 0 && closed.get()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** @return true if this call closed the gate, false if it was closed already */
    boolean close() {
        return closed.compareAndSet(false, true);
    }

    /** @return true once the gate is closed */
    boolean isClosed() {
        return closed.get();
    }

    /** Waits until every call that entered before the close has exited. */
    void awaitCalls() {
        awaitUninterruptibly(() -> calls.get() == 0);
    }

    /** Says the object is released: {@link #awaitReleased()} returns from now on. */
    void released() {
        CompletableFuture<Void> f;
        synchronized (this) {
            released = true;
            notifyAll();
            f = onRelease;
        }
        if (f != null) {
            f.complete(null);
        }
    }

    /** @return a future completed once the object is released */
    synchronized CompletableFuture<Void> whenReleased() {
        if (released) {
            return CompletableFuture.completedFuture(null);
        }
        if (onRelease == null) {
            onRelease = new CompletableFuture<>();
        }
        return onRelease;
    }

    /** Waits until whoever closed the gate has released the object. */
    void awaitReleased() {
        awaitUninterruptibly(() -> released);
    }

    /**
     * Closing must not give up half way (the object would be neither usable nor released), so
     * an interrupt is remembered for the caller and the wait goes on.
     */
    private void awaitUninterruptibly(BooleanSupplier done) {
        boolean interrupted = false;
        synchronized (this) {
            while (!done.getAsBoolean()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
