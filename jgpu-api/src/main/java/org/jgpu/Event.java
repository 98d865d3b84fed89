package org.jgpu;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A marker in a stream: it completes when the work enqueued before its record is done.
 *
 * <p>An event that was never recorded has nothing to complete: {@link #query()},
 * {@link #synchronize()}, {@link Stream#waitFor(Event)} and {@link #elapsedSince(Event)} throw
 * {@link IllegalStateException} naming it, since waiting for it is almost always a bug. (CUDA
 * treats such an event as complete, which hides the bug.)
 */
public interface Event extends AutoCloseable {

    /** @return the name, for messages */
    String name();

    /** @return the options it was created with */
    Set<EventOption> options();

    /** @return true once it has been recorded on a stream */
    boolean isRecorded();

    /**
     * Non-blocking: whether the latest record has completed.
     *
     * @return true if complete
     * @throws IllegalStateException if never recorded or closed
     */
    boolean query();

    /**
     * Blocks until the latest record has completed.
     *
     * @throws IllegalStateException if never recorded or closed
     * @throws AsyncOperationException if work before it failed
     */
    void synchronize();

    /**
     * The async twin of {@link #synchronize()}. Continuations run on the context's callback
     * executor.
     *
     * @return a future completed with the latest record
     * @throws IllegalStateException if never recorded or closed
     */
    CompletableFuture<Void> onComplete();

    /**
     * The device time between {@code start} and this event; waits for both to complete.
     *
     * @param start an earlier event
     * @return the elapsed time
     * @throws IllegalStateException if either event lacks {@link EventOption#TIMING}, was never
     *         recorded, or is closed
     * @throws IllegalArgumentException if start belongs to another context
     */
    Duration elapsedSince(Event start);

    /** @return true until {@link #close()} */
    boolean isOpen();

    /** Releases the event; waiting streams are not affected. Closing twice does nothing. */
    @Override
    void close();
}
