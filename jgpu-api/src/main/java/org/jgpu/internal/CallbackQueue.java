package org.jgpu.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one stream's host callbacks one at a time, in the order the stream reached them, on the
 * context's executor: CUDA and CuPy promise that order, and a multi-threaded executor would not
 * keep it if each callback were handed over on its own.
 *
 * <p>The backend's callback thread only adds to the queue (and at most hands one drain task to
 * the executor); it never runs user code.
 */
final class CallbackQueue {
    /** Callbacks run in one go before the drain gives the executor's thread back. */
    private static final int BATCH = 64;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Consumer<Runnable> executor;

    /** @param executor hands a task to the context's callback executor */
    CallbackQueue(Consumer<Runnable> executor) {
        this.executor = executor;
    }

    /**
     * Queues a callback behind the earlier ones.
     *
     * @param task the callback; it must not throw (callers complete their futures instead)
     */
    void add(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            executor.accept(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable task;
            for (int i = 0; i < BATCH && (task = tasks.poll()) != null; i++) {
                task.run();
            }
        } finally {
            scheduled.set(false);
            // a callback added after the last poll found the queue scheduled: run it
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }
}
