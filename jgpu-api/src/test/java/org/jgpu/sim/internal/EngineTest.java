package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine model's slots: plain reservations, holds by self-timed work, and time kept in range. */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EngineTest {

    @Test
    void aReservationBehindAHoldWaitsForTheReleaseAndStartsAtItsEnd() throws Exception {
        Engine e = new Engine("compute", 1);
        Engine.Hold hold = e.hold(100);
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
        Engine e = new Engine("compute", 1);
        Engine.Hold first = e.hold(0);
        CompletableFuture<Engine.Hold> second = CompletableFuture.supplyAsync(() -> e.hold(10));
        Thread.sleep(50);
        assertFalse(second.isDone());
        e.release(first, 1_000);
        assertEquals(1_000, second.get(5, TimeUnit.SECONDS).start());
    }

    @Test
    void withTwoSlotsAHoldLeavesTheOtherSlotToOtherWork() {
        Engine e = new Engine("compute", 2);
        Engine.Hold hold = e.hold(0);
        assertEquals(5, e.reserve(5, 10));
        assertEquals(15, e.reserve(5, 10));
        Engine.Hold other = e.hold(0);
        assertEquals(25, other.start(), "the unheld slot is free at 25");
        e.release(hold, 30);
        e.release(other, 40);
        assertEquals(30, e.reserve(0, 1), "both slots free again: the one free first (at 30) is taken");
    }

    @Test
    void durationsPastTheHorizonEndAtItInsteadOfOverflowing() {
        Engine e = new Engine("compute", 1);
        long now = System.nanoTime();
        assertEquals(now, e.reserve(now, Long.MAX_VALUE));
        long next = e.reserve(now, Long.MAX_VALUE);
        assertEquals(Engine.HORIZON, next, "the slot is busy until the horizon, not until a wrapped-around time");
        assertEquals(Engine.HORIZON, e.reserve(0, 1));
        assertEquals(Engine.HORIZON, Engine.later(Engine.HORIZON, Long.MAX_VALUE));
        assertEquals(Engine.HORIZON, Engine.later(Long.MAX_VALUE / 4 * 3 - Engine.HORIZON, Long.MAX_VALUE / 4 * 3));
        assertEquals(7, Engine.later(7, -3), "a negative duration counts as none");
        assertTrue(e.busyNanos() > 0);
    }

    @Test
    void aReleaseBeforeItsStartCountsAsEndingAtTheStart() {
        Engine e = new Engine("copy", 1);
        Engine.Hold hold = e.hold(1_000);
        e.release(hold, 10);
        assertEquals(0, e.busyNanos());
        assertEquals(1_000, e.reserve(0, 1));
    }
}
