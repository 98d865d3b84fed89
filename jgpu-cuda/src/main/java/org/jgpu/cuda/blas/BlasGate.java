package org.jgpu.cuda.blas;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jgpu.Stream;

/**
 * The open/closed state of one {@link Blas} and its calls in flight, so that close is a clean
 * cut: a call that got in before the close finishes enqueuing before the library handle is
 * released, and a call after it is refused. Entering counts first and checks after, closing
 * sets the flag first and waits for the count after, so a call is either counted before the
 * closer looks or sees the gate closed.
 */
final class BlasGate {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private final Stream stream;
    private final String what;
    /** Set once the closer has released the handle; guarded by this. */
    private boolean released;

    /**
     * @param stream the stream the calls enqueue on
     * @param what the library, for messages (e.g. {@code cuBLAS})
     */
    BlasGate(Stream stream, String what) {
        this.stream = stream;
        this.what = what;
    }

    /**
     * Starts a call; pair with {@link #exit()} in a finally block.
     *
     * @throws IllegalStateException naming the stream if the Blas is closed
     */
    void enter() {
        calls.incrementAndGet();
        if (closed.get()) {
            exit();
            throw new IllegalStateException(what + " on stream '" + stream.name() + "' is closed; make a new one with "
                    + "Blas.on(stream)");
        }
    }

    /** Ends a call that {@link #enter()} let in. */
    void exit() {
        if (calls.decrementAndGet() == 0 && closed.get()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** @return true once close has begun */
    boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes once: refuses new calls, waits for the calls in flight, waits for the stream's work
     * (if the stream is still open: a closed stream waited for its work), then runs
     * {@code release}, even if the wait failed. A failure of the wait is thrown with a failure
     * of the release suppressed in it. A second close, on any thread, returns once the first has
     * released.
     *
     * @param release frees the library handle
     * @throws RuntimeException what waiting for the stream or the release threw
     */
    void close(Runnable release) {
        if (!closed.compareAndSet(false, true)) {
            awaitUninterruptibly(() -> released);
            return;
        }
        RuntimeException failure = null;
        try {
            awaitUninterruptibly(() -> calls.get() == 0);
            try {
                if (stream.isOpen()) {
                    stream.synchronize();
                }
            } catch (IllegalStateException e) {
                if (stream.isOpen()) {   // closed meanwhile: its own close waited for its work
                    failure = e;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            try {
                release.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        } finally {
            synchronized (this) {
                released = true;
                notifyAll();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closing must not give up half way: an interrupt is kept for the caller and the wait goes on. */
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
