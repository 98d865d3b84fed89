package org.jgpu.sim.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The last stretch of a precise wait, shared by {@link org.jgpu.sim.Sleeper} and {@link Waiter}:
 * yield while yields are cheap, park while other processes keep the cores busy.
 */
public final class Yielding {
    /** Until when yielding is avoided: on busy cores a yield can cost a whole time slice. */
    private static volatile long noYieldUntil;

    private Yielding() {
    }

    /**
     * Covers the last stretch before {@code deadline}: yielding, unless yields have been slow
     * lately (other processes keep the cores busy), then parking, which a busy scheduler serves
     * sooner than a yield.
     *
     * @param deadline when to return
     */
    public static void finish(long deadline) {
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

}
