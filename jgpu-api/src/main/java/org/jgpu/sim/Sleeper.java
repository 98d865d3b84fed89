package org.jgpu.sim;

import java.util.concurrent.locks.LockSupport;
import org.jgpu.sim.internal.Yielding;

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
        Yielding.finish(deadline);
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
