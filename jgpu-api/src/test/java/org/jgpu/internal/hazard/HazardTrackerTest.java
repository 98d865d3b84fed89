package org.jgpu.internal.hazard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgpu.HazardMode;
import org.junit.jupiter.api.Test;

class HazardTrackerTest {
    private final HazardTracker tracker = new HazardTracker(HazardMode.CHECK);
    private final BufferState buf = new BufferState("device buffer 'd'");
    private final Timeline a = tracker.register("a", false, true);
    private final Timeline b = tracker.register("b", false, true);

    private Touch write(long s, long e) {
        return new Touch(buf, s, e, false, true);
    }

    private Touch read(long s, long e) {
        return new Touch(buf, s, e, true, false);
    }

    private void op(Timeline t, Touch touch) {
        tracker.beforeEnqueue(t);
        tracker.commit(t, "op", touch);
    }

    @Test
    void unorderedReadAfterWriteOnAnotherStreamConflicts() {
        op(a, write(0, 100));
        tracker.beforeEnqueue(b);
        List<Conflict> c = tracker.conflicts(b.clock(), read(0, 100));
        assertEquals(1, c.size());
        assertEquals("a", c.get(0).earlierName());
        assertTrue(c.get(0).earlierWrites());
    }

    @Test
    void eventOrderingRemovesTheConflict() {
        op(a, write(0, 100));
        VectorClock event = a.clock().copy();
        b.clock().join(event);
        assertTrue(tracker.conflicts(b.clock(), read(0, 100)).isEmpty());
    }

    @Test
    void disjointRangesAndConcurrentReadsDoNotConflict() {
        op(a, write(0, 50));
        op(b, write(50, 100));
        op(a, read(0, 50));
        assertTrue(tracker.conflicts(b.clock(), read(60, 70)).isEmpty());
        op(b, read(60, 70));
        assertTrue(tracker.conflicts(b.clock(), read(50, 60)).isEmpty());
    }

    @Test
    void writeAfterReadOnAnotherStreamConflicts() {
        Timeline c = tracker.register("c", false, true);
        op(c, write(0, 10));
        a.clock().join(c.clock());
        b.clock().join(c.clock());
        op(a, read(0, 10));
        List<Conflict> conflicts = tracker.conflicts(b.clock(), write(0, 10));
        assertEquals(1, conflicts.size());
        assertEquals("a", conflicts.get(0).earlierName());
    }

    @Test
    void hostSeesStreamWorkOnlyAfterObservingIt() {
        op(a, write(0, 10));
        assertEquals(1, tracker.conflicts(tracker.host(), read(0, 10)).size());
        tracker.host().join(a.clock());
        assertTrue(tracker.conflicts(tracker.host(), read(0, 10)).isEmpty());
    }

    @Test
    void streamsInheritWhatTheHostHasSeen() {
        op(a, write(0, 10));
        tracker.host().join(a.clock());
        tracker.beforeEnqueue(b);
        assertTrue(tracker.conflicts(b.clock(), write(0, 10)).isEmpty());
    }

    @Test
    void legacyDefaultStreamOrdersWithBlockingStreams() {
        Timeline def = tracker.register("default", true, true);
        Timeline nb = tracker.register("nb", false, false);
        op(a, write(0, 10));
        tracker.beforeEnqueue(def);
        assertTrue(tracker.conflicts(def.clock(), read(0, 10)).isEmpty());
        op(def, write(0, 10));
        tracker.beforeEnqueue(b);
        assertTrue(tracker.conflicts(b.clock(), read(0, 10)).isEmpty());
        tracker.beforeEnqueue(nb);
        assertEquals(1, tracker.conflicts(nb.clock(), read(0, 10)).size());
    }

    @Test
    void coveredEarlierAccessesArePrunedSoRecordsStayFew() {
        for (int i = 0; i < 1000; i++) {
            op(a, write(0, 100));
            op(a, read(0, 100));
        }
        assertTrue(buf.records.size() <= 2, "records: " + buf.records.size());
    }

    @Test
    void offModeRecordsNothingButStillTracksLastUse() {
        HazardTracker off = new HazardTracker(HazardMode.OFF);
        Timeline s = off.register("s", false, true);
        BufferState b2 = new BufferState("x");
        off.beforeEnqueue(s);
        off.commit(s, "op", new Touch(b2, 0, 1, false, true));
        assertTrue(b2.records.isEmpty());
        assertEquals(List.of(s.index()), off.pendingUsers(b2));
    }
}
