package org.jgpu.internal.hazard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgpu.HazardMode;
import org.junit.jupiter.api.Test;

class HazardTrackerTest {
    private final HazardTracker tracker = new HazardTracker(HazardMode.CHECK);
    private final BufferState buf = new BufferState("device buffer 'd'");
    private final StreamClock a = tracker.register("a", 0, false, true);
    private final StreamClock b = tracker.register("b", 0, false, true);

    private Touch write(long s, long e) {
        return new Touch(buf, s, e, false, true);
    }

    private Touch read(long s, long e) {
        return new Touch(buf, s, e, true, false);
    }

    private void op(StreamClock t, Touch touch) {
        tracker.beforeEnqueue(t);
        tracker.commit(t, "op", touch);
    }

    @Test
    void unorderedReadAfterWriteOnAnotherStreamConflicts() {
        op(a, write(0, 100));
        tracker.beforeEnqueue(b);
        List<Conflict> c = tracker.conflicts(b.vector(), read(0, 100));
        assertEquals(1, c.size());
        assertEquals("a", c.get(0).earlierName());
        assertTrue(c.get(0).earlierWrites());
    }

    @Test
    void eventOrderingRemovesTheConflict() {
        op(a, write(0, 100));
        VectorClock event = a.vector().copy();
        b.vector().join(event);
        assertTrue(tracker.conflicts(b.vector(), read(0, 100)).isEmpty());
    }

    @Test
    void disjointRangesAndConcurrentReadsDoNotConflict() {
        op(a, write(0, 50));
        op(b, write(50, 100));
        op(a, read(0, 50));
        assertTrue(tracker.conflicts(b.vector(), read(60, 70)).isEmpty());
        op(b, read(60, 70));
        assertTrue(tracker.conflicts(b.vector(), read(50, 60)).isEmpty());
    }

    @Test
    void writeAfterReadOnAnotherStreamConflicts() {
        StreamClock c = tracker.register("c", 0, false, true);
        op(c, write(0, 10));
        a.vector().join(c.vector());
        b.vector().join(c.vector());
        op(a, read(0, 10));
        List<Conflict> conflicts = tracker.conflicts(b.vector(), write(0, 10));
        assertEquals(1, conflicts.size());
        assertEquals("a", conflicts.get(0).earlierName());
    }

    @Test
    void hostSeesStreamWorkOnlyAfterObservingIt() {
        op(a, write(0, 10));
        assertEquals(1, tracker.conflicts(tracker.host(), read(0, 10)).size());
        tracker.host().join(a.vector());
        assertTrue(tracker.conflicts(tracker.host(), read(0, 10)).isEmpty());
    }

    @Test
    void streamsInheritWhatTheHostHasSeen() {
        op(a, write(0, 10));
        tracker.host().join(a.vector());
        tracker.beforeEnqueue(b);
        assertTrue(tracker.conflicts(b.vector(), write(0, 10)).isEmpty());
    }

    @Test
    void legacyDefaultStreamOrdersWithBlockingStreams() {
        StreamClock def = tracker.register("default", 0, true, true);
        StreamClock nb = tracker.register("nb", 0, false, false);
        op(a, write(0, 10));
        tracker.beforeEnqueue(def);
        assertTrue(tracker.conflicts(def.vector(), read(0, 10)).isEmpty());
        op(def, write(0, 10));
        tracker.beforeEnqueue(b);
        assertTrue(tracker.conflicts(b.vector(), read(0, 10)).isEmpty());
        tracker.beforeEnqueue(nb);
        assertEquals(1, tracker.conflicts(nb.vector(), read(0, 10)).size());
    }

    @Test
    void aLegacyDefaultStreamOrdersOnlyWithTheBlockingStreamsOfItsOwnContext() {
        // a and b are member 0's; member 1 (another device of the group) has its own default stream
        StreamClock def1 = tracker.register("default of device 1", 1, true, true);
        StreamClock blocking1 = tracker.register("s of device 1", 1, false, true);
        op(a, write(0, 10));
        tracker.beforeEnqueue(def1);
        assertEquals(1, tracker.conflicts(def1.vector(), read(0, 10)).size(), "device 0's stream is not ordered");
        op(blocking1, write(20, 30));
        tracker.beforeEnqueue(def1);
        assertTrue(tracker.conflicts(def1.vector(), read(20, 30)).isEmpty(), "its own device's blocking stream is");
        op(def1, write(40, 50));
        tracker.beforeEnqueue(b);
        assertEquals(1, tracker.conflicts(b.vector(), read(40, 50)).size(), "device 0's b does not follow device 1's default");
        tracker.beforeEnqueue(blocking1);
        assertTrue(tracker.conflicts(blocking1.vector(), read(40, 50)).isEmpty());
    }

    @Test
    void coveredEarlierAccessesArePrunedSoRecordsStayFew() {
        for (int i = 0; i < 1000; i++) {
            op(a, write(0, 100));
            op(a, read(0, 100));
        }
        assertTrue(buf.accesses.kept() <= 2, "kept: " + buf.accesses);
    }

    @Test
    void offModeRecordsNothingButStillTracksLastUse() {
        HazardTracker off = new HazardTracker(HazardMode.OFF);
        StreamClock s = off.register("s", 0, false, true);
        BufferState b2 = new BufferState("x");
        off.beforeEnqueue(s);
        off.commit(s, "op", new Touch(b2, 0, 1, false, true));
        assertEquals(0, b2.accesses.segments());
        assertEquals(List.of(s.index()), off.pendingUsers(b2));
    }
}
