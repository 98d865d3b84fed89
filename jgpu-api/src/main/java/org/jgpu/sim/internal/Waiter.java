package org.jgpu.sim.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How threads wait for simulated work: asleep while the work is far from its expected end, awake
 * (yielding) in the last stretch before it. The expected end is the modelled one; Java work that
 * runs past it ends the operation later, and the waiter then sleeps in short steps until the
 * worker announces the completion.
 *
 * <p>A thread woken by a notification takes 50 to 300 microseconds to run again on a busy or
 * virtualized machine; a host that synchronizes every batch would pay that each time, which the
 * engine model does not. Staying awake for the last {@value #WINDOW_NANOS} ns before the
 * stream's current operation is due to end removes most of it.
 */
final class Waiter {
    /** How long before the expected end a waiter stops sleeping. */
    static final long WINDOW_NANOS = 300_000;
    private static final long CHUNK_NANOS = 1_000_000;
    /**
     * How long to sleep at a time while the end is unknown; the worker's notification ends the
     * sleep, so this only bounds how long a missed wake-up could cost.
     */
    private static final long UNKNOWN_END_MILLIS = 50;

    private Waiter() {
    }

    /**
     * Returns once {@code done} holds.
     *
     * @param monitor what the completing thread notifies
     * @param done the condition (reads volatile state)
     * @param stream whose current operation's expected end says when to stay awake
     */
    static void await(Object monitor, BooleanSupplier done, SimStream stream) {
        boolean interrupted = false;
        while (!done.getAsBoolean()) {
            if (stream.endUnknown()) {
                // self-timed work or a wait for a lane: nothing to plan by, so sleep until notified
                interrupted |= sleepUntilNotified(monitor, done, UNKNOWN_END_MILLIS);
                continue;
            }
            long now = System.nanoTime();
            long expected = stream.busyUntil();
            long wake = expected - WINDOW_NANOS;
            if (wake <= now && expected > now - WINDOW_NANOS) {
                if (Yielding.contended()) {
                    LockSupport.parkNanos(20_000);
                } else {
                    Yielding.yieldOnce(now);
                }
                continue;
            }
            if (wake > now && wake - now < 2 * CHUNK_NANOS) {
                // Object.wait rounds a partial millisecond up to a whole one: park for short waits
                LockSupport.parkNanos(wake - now);
                continue;
            }
            long millis = wake > now ? Math.max(1, (wake - now) / CHUNK_NANOS - 1) : 1;
            interrupted |= sleepUntilNotified(monitor, done, millis);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits on {@code monitor} for at most {@code millis} unless {@code done} already holds.
     *
     * @return true if the thread was interrupted (the wait goes on: the caller restores the flag)
     */
    private static boolean sleepUntilNotified(Object monitor, BooleanSupplier done, long millis) {
        synchronized (monitor) {
            if (done.getAsBoolean()) {
                return false;
            }
            try {
                monitor.wait(millis);
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }
}
