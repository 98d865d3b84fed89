package org.jgpu.internal;

import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jgpu.GpuException;
import org.jgpu.StreamFlag;
import org.jgpu.StreamOptions;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a context hands to the callback executor and keeps for its next synchronize: futures
 * completed by the backend's host callbacks, and errors that could not be thrown where they
 * happened.
 */
final class Completions {
    private static final Logger LOG = LoggerFactory.getLogger("org.jgpu");

    private final String contextName;
    private final Executor executor;
    private final DeviceBackend backend;
    private final Sequencer sequencer;
    private final StoredErrors errors = new StoredErrors();
    private final CallbackFutures futures;
    /** Made on first use, under the context's lock. */
    private NativeStream eventWaiter;

    /**
     * @param contextName the context's name, for messages
     * @param executor where callbacks and continuations run
     * @param backend makes the stream that waits on events
     * @param sequencer the host clock that completed futures advance
     */
    Completions(String contextName, Executor executor, DeviceBackend backend, Sequencer sequencer) {
        this.contextName = contextName;
        this.executor = executor;
        this.backend = backend;
        this.sequencer = sequencer;
        this.futures = new CallbackFutures(contextName, sequencer::observed, this::handOff, this::storeError);
    }

    /**
     * Stores an error that could not be thrown where it happened, for the next synchronize.
     *
     * @param t the error
     */
    void storeError(Throwable t) {
        errors.add(t instanceof GpuException g ? g
                : new GpuException("a callback or cleaner of " + contextName + " failed: " + t, t));
        LOG.debug("stored for the next synchronize of {}: {}", contextName, t.toString());
    }

    /** @return the errors stored since the last call, as one exception (see {@link StoredErrors#take}), or null */
    RuntimeException takeErrors() {
        return errors.take(contextName);
    }

    /** Runs a continuation on the callback executor, never on the calling backend thread. */
    void handOff(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            Thread t = new Thread(r, "jgpu-callback");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * A future completed, on the callback executor, once {@code on} reaches the current end of
     * its queue: the backend's callback only hands off. Call under the context's lock.
     *
     * @param on the stream whose host callback completes the future
     * @param errorSource the stream whose failure fails the future
     * @param seen the clock the host learns when the future completes
     * @return the future
     */
    CompletableFuture<Void> after(NativeStream on, NativeStream errorSource, VectorClock seen) {
        return futures.after(on, errorSource, seen, null, null, null);
    }

    /**
     * Like {@link #after(NativeStream, NativeStream, VectorClock)}, in a stream's callback
     * order, running a user callback first (if not null). Call under the context's lock.
     *
     * @param s the stream whose end completes the future
     * @param seen the clock the host learns when the future completes
     * @param action a user callback to run first (its failure fails the future), or null
     * @param streamName the stream's name, for the message of a failed action
     * @return the future
     */
    CompletableFuture<Void> after(StreamState s, VectorClock seen, Runnable action, String streamName) {
        return futures.after(s.nativeStream(), s.nativeStream(), seen, s.callbacks(), action, streamName);
    }

    /**
     * A backend stream that only waits on events, for {@link org.jgpu.Event#onComplete()}.
     *
     * @throws IllegalStateException if the context is closed
     */
    NativeStream eventWaiter() {
        return sequencer.exclusive(() -> {
            sequencer.ensureOpen();
            if (eventWaiter == null) {
                eventWaiter = backend.createStream(StreamOptions.builder().name("event-waiter")
                        .flags(EnumSet.of(StreamFlag.NON_BLOCKING)).build());
            }
            return eventWaiter;
        });
    }

    /** Destroys the event waiter, if one was made; for the context's close. */
    void destroyEventWaiter() {
        sequencer.exclusive(() -> {
            if (eventWaiter != null) {
                eventWaiter.destroy();
            }
        });
    }

    /** Fails every future the backend never called back (see {@link CallbackFutures#failPending()}). */
    void failPending() {
        futures.failPending();
    }
}
