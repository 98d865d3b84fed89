package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jgpu.trace.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine model's slots: plain reservations, holds by self-timed work, and time kept in range. */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SimEngineTest {

    @Test
    void aReservationBehindAHoldWaitsForTheReleaseAndStartsAtItsEnd() throws Exception {
        SimEngine e = new SimEngine(1, Engine.COMPUTE);
        SimEngine.Hold hold = e.hold(100);
        assertEquals(100, hold.start());
        CompletableFuture<Long> next = CompletableFuture.supplyAsync(() -> e.reserve(150, 50));
        Thread.sleep(50);
        assertFalse(next.isDone(), "the only slot is held: the reservation waits");
        e.release(hold, 400);
        assertEquals(400, next.get(5, TimeUnit.SECONDS));
        assertEquals(450, e.reserve(0, 10), "the slot is free at the end of the waiting reservation");
        assertEquals(300 + 50 + 10, e.busyNanos());
    }

    @Test
    void aHoldBehindAHoldStartsAtItsRelease() throws Exception {
        SimEngine e = new SimEngine(1, Engine.COMPUTE);
        SimEngine.Hold first = e.hold(0);
        CompletableFuture<SimEngine.Hold> second = CompletableFuture.supplyAsync(() -> e.hold(10));
        Thread.sleep(50);
        assertFalse(second.isDone());
        e.release(first, 1_000);
        assertEquals(1_000, second.get(5, TimeUnit.SECONDS).start());
    }

    @Test
    void withTwoSlotsAHoldLeavesTheOtherSlotToOtherWork() {
        SimEngine e = new SimEngine(2, Engine.COMPUTE);
        SimEngine.Hold hold = e.hold(0);
        assertEquals(5, e.reserve(5, 10));
        assertEquals(15, e.reserve(5, 10));
        SimEngine.Hold other = e.hold(0);
        assertEquals(25, other.start(), "the unheld slot is free at 25");
        e.release(hold, 30);
        e.release(other, 40);
        assertEquals(30, e.reserve(0, 1), "both slots free again: the one free first (at 30) is taken");
    }

    @Test
    void durationsPastTheHorizonEndAtItInsteadOfOverflowing() {
        SimEngine e = new SimEngine(1, Engine.COMPUTE);
        long now = System.nanoTime();
        assertEquals(now, e.reserve(now, Long.MAX_VALUE));
        long next = e.reserve(now, Long.MAX_VALUE);
        assertEquals(SimEngine.HORIZON, next, "the slot is busy until the horizon, not until a wrapped-around time");
        assertEquals(SimEngine.HORIZON, e.reserve(0, 1));
        assertEquals(SimEngine.HORIZON, SimEngine.later(SimEngine.HORIZON, Long.MAX_VALUE));
        assertEquals(SimEngine.HORIZON, SimEngine.later(Long.MAX_VALUE / 4 * 3 - SimEngine.HORIZON, Long.MAX_VALUE / 4 * 3));
        assertEquals(7, SimEngine.later(7, -3), "a negative duration counts as none");
        assertTrue(e.busyNanos() > 0);
    }

    @Test
    void aReleaseBeforeItsStartCountsAsEndingAtTheStart() {
        SimEngine e = new SimEngine(1, Engine.COPY_H2D);
        SimEngine.Hold hold = e.hold(1_000);
        e.release(hold, 10);
        assertEquals(0, e.busyNanos());
        assertEquals(1_000, e.reserve(0, 1));
    }
}
