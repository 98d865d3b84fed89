package org.jgpu.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jgpu.GpuException;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.NativeStream;

/**
 * The futures of one context that wait for a backend's host callback: {@code onComplete()} of
 * streams, events and the context, and {@code Stream.callback()}.
 *
 * <p>The backend promises to call back once, also after a device loss (see
 * {@link NativeStream#hostCallback}); the context does not rely on that alone. It keeps each
 * future until its backend callback has come, and when the context closes (after the backend
 * closed) it fails every one still waiting, so that no future of a closed context hangs. A future
 * counts as called back when the backend's thread hands it off, not when the executor runs it:
 * a callback that came before the close still completes normally.
 *
 * <p>The failures at close are posted as the completions would have been: through the stream's
 * {@link CallbackQueue} (so one stream's futures fail in the order they were asked for) or to the
 * executor (events), never on the closing thread, and after the context counts as released, so
 * that a continuation may close streams, buffers or the context itself.
 */
final class CallbackFutures {
    private final String contextName;
    private final Consumer<VectorClock> observed;
    private final Consumer<Runnable> handOff;
    private final Consumer<GpuException> errors;
    /**
     * Futures whose backend callback has not come yet, in the order they were asked for, with
     * the stream whose failure fails them and the queue their completion goes through. Guarded
     * by itself.
     */
    private final Map<CompletableFuture<Void>, Waiting> pending = new LinkedHashMap<>();

    /** What a pending future needs to be failed: its error source, its queue (null: none). */
    private record Waiting(NativeStream errorSource, CallbackQueue queue) {
    }

    /**
     * @param contextName the context's name, for messages
     * @param observed tells the host's clock that a completed future's work is done
     * @param handOff runs a task on the context's callback executor
     * @param errors where a failed user callback's error is stored for the next synchronize
     */
    CallbackFutures(String contextName, Consumer<VectorClock> observed, Consumer<Runnable> handOff,
            Consumer<GpuException> errors) {
        this.contextName = contextName;
        this.observed = observed;
        this.handOff = handOff;
        this.errors = errors;
    }

    /**
     * A future completed, on the callback executor, once {@code on} reaches the current end of
     * its queue, after running {@code action} if there is one. Call under the context's lock.
     *
     * @param on the stream whose host callback completes the future
     * @param errorSource the stream whose failure fails the future
     * @param seen the clock the host learns when the future completes
     * @param queue where a stream's callbacks run in its order; null for no order (events)
     * @param action a user callback to run first (its failure fails the future), or null
     * @param streamName the stream's name, for the message of a failed action
     * @return the future
     * @throws RuntimeException what the backend threw when asked for the callback
     */
    CompletableFuture<Void> after(NativeStream on, NativeStream errorSource, VectorClock seen, CallbackQueue queue,
            Runnable action, String streamName) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Runnable complete = () -> {
            Callbacks.enter();
            try {
                RuntimeException error = errorSource.peekError();
                observed.accept(seen);
                if (error != null) {
                    f.completeExceptionally(error);
                } else if (action == null) {
                    f.complete(null);
                } else if (!f.isDone()) {
                    // failed when the context closed without the backend calling back: the
                    // action is not run after its context closed
                    runCallback(action, streamName, f);
                }
            } finally {
                Callbacks.exit();
            }
        };
        synchronized (pending) {
            pending.put(f, new Waiting(errorSource, queue));
        }
        // one hand-off: the backend's thread queues the completion and goes back to the driver
        Runnable handOff = () -> {
            remove(f);
            post(queue, complete);
        };
        try {
            on.hostCallback(handOff);
        } catch (RuntimeException | Error e) {
            remove(f);
            // a backend may have queued the hand-off before it threw: done now, the future's
            // completion finds it done and does not run the action of a call that failed
            f.completeExceptionally(e);
            throw e;
        }
        return f;
    }

    private void runCallback(Runnable action, String streamName, CompletableFuture<Void> f) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            errors.accept(new GpuException("callback on stream '" + streamName + "' failed: " + e, e));
            f.completeExceptionally(e);
            return;
        }
        f.complete(null);
    }

    private Waiting remove(CompletableFuture<Void> f) {
        synchronized (pending) {
            return pending.remove(f);
        }
    }

    /** Runs a completion through the stream's queue, or on the executor when there is none. */
    private void post(CallbackQueue queue, Runnable task) {
        if (queue == null) {
            handOff.accept(task);
        } else {
            queue.add(task);
        }
    }

    /** @return how many futures wait for a backend callback, for tests */
    int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /**
     * Fails every future whose backend callback never came: with its stream's failure (a lost
     * device, say) if there is one, else with an exception naming the closed context. Call
     * after the backend closed and after the context counts as released: the failures are
     * posted as the completions would have been, never run on the calling thread.
     */
    void failPending() {
        List<Map.Entry<CompletableFuture<Void>, Waiting>> left;
        synchronized (pending) {
            left = new ArrayList<>(pending.entrySet());
            pending.clear();
        }
        for (Map.Entry<CompletableFuture<Void>, Waiting> e : left) {
            RuntimeException cause = null;
            try {
                cause = e.getValue().errorSource().peekError();
            } catch (RuntimeException ignored) {
                // a closed backend may refuse even this: the context's own message says enough
            }
            GpuException failure = new GpuException(contextName + " was closed before the backend reported the work this"
                    + " future waits for as done" + (cause == null ? " (the backend never called back)"
                    : ": " + cause.getMessage()), cause);
            CompletableFuture<Void> f = e.getKey();
            post(e.getValue().queue(), () -> f.completeExceptionally(failure));
        }
    }
}
