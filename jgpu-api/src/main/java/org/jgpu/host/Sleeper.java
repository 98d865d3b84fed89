package org.jgpu.host;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits until a deadline with little overshoot: parks until shortly before it (by how late
 * parking has been waking up, learned as it goes), then yields until it.
 *
 * <p>Plain {@code parkNanos} wakes 50 to 200 microseconds late on common Linux machines, which
 * would add up across the stages of a simulated pipeline; yielding the last stretch keeps the
 * engine model's timings within a few microseconds without holding a core.
 */
public final class Sleeper {
    private static final long MAX_SLACK = 1_000_000;
    /** How late parking wakes up, smoothed. */
    private static volatile long slack = 80_000;
    /** Until when yielding is avoided: on busy cores a yield can cost a whole time slice. */
    private static volatile long noYieldUntil;

    private Sleeper() {
    }

    /**
     * Returns at or just after {@code deadline} (a {@link System#nanoTime()} value).
     *
     * @param deadline when to return
     */
    public static void until(long deadline) {
        long s = slack;
        long parkUntil = deadline - s;
        long left = parkUntil - System.nanoTime();
        if (left > 0) {
            LockSupport.parkNanos(left);
            long late = System.nanoTime() - parkUntil;
            slack = Math.min(MAX_SLACK, Math.max(10_000, (7 * s + late + 20_000) / 8));
        }
        finish(deadline);
    }

    /**
     * Covers the last stretch before {@code deadline}: yielding, unless yields have been slow
     * lately (other processes keep the cores busy), then parking, which a busy scheduler serves
     * sooner than a yield.
     *
     * @param deadline when to return
     */
    static void finish(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            if (now < noYieldUntil) {
                LockSupport.parkNanos(deadline - now);
                continue;
            }
            yieldOnce(now);
        }
    }

    /** Yields once; notes contention when the yield took long. */
    static void yieldOnce(long before) {
        Thread.yield();
        if (System.nanoTime() - before > 100_000) {
            noYieldUntil = System.nanoTime() + 1_000_000_000L;
        }
    }

    /** @return true while yields have been slow lately */
    static boolean contended() {
        return System.nanoTime() < noYieldUntil;
    }

    /**
     * Waits {@code nanos} nanoseconds.
     *
     * @param nanos how long
     */
    public static void sleep(long nanos) {
        until(System.nanoTime() + nanos);
    }
}
