package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jgpu.trace.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine model's lanes: holds in turn, lanes side by side, and time kept in range. */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SimEngineTest {

    @Test
    void aHoldBehindAHoldWaitsForTheReleaseAndStartsAtItsEnd() throws Exception {
        SimEngine e = new SimEngine(1, Engine.COMPUTE);
        SimEngine.Hold hold = e.hold(100);
        assertEquals(100, hold.start());
        CompletableFuture<SimEngine.Hold> next = CompletableFuture.supplyAsync(() -> e.hold(150));
        Thread.sleep(50);
        assertFalse(next.isDone(), "the only lane is held: the next work waits");
        e.release(hold, 400);
        SimEngine.Hold second = next.get(5, TimeUnit.SECONDS);
        assertEquals(400, second.start());
        e.release(second, 450);
        assertEquals(450, e.hold(0).start(), "the lane is free at the end of the work that waited");
        assertEquals(300 + 50, e.busyNanos());
    }

    @Test
    void withTwoLanesAHoldLeavesTheOtherLaneToOtherWork() {
        SimEngine e = new SimEngine(2, Engine.COMPUTE);
        SimEngine.Hold hold = e.hold(0);
        SimEngine.Hold beside = e.hold(5);
        assertEquals(5, beside.start(), "the other lane runs work beside the held one");
        e.release(beside, 25);
        SimEngine.Hold other = e.hold(0);
        assertEquals(25, other.start(), "the unheld lane is free at 25");
        e.release(hold, 30);
        e.release(other, 40);
        assertEquals(30, e.hold(0).start(), "both lanes free again: the one free first (at 30) is taken");
    }

    @Test
    void durationsPastTheHorizonEndAtItInsteadOfOverflowing() {
        SimEngine e = new SimEngine(1, Engine.COMPUTE);
        long now = System.nanoTime();
        SimEngine.Hold first = e.hold(now);
        assertEquals(now, first.start());
        e.release(first, SimEngine.later(now, Long.MAX_VALUE));
        SimEngine.Hold next = e.hold(now);
        assertEquals(SimEngine.HORIZON, next.start(), "the lane is busy until the horizon, not until a wrapped-around time");
        e.release(next, SimEngine.later(next.start(), Long.MAX_VALUE));
        assertEquals(SimEngine.HORIZON, e.hold(0).start());
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
        assertEquals(1_000, e.hold(0).start());
    }
}
