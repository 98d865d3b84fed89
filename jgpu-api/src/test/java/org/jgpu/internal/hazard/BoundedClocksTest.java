package org.jgpu.internal.hazard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgpu.HazardMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clocks and timelines stay as small as the streams open at once, however long a context lives. */
@Timeout(30)
class BoundedClocksTest {
    private final HazardTracker tracker = new HazardTracker(HazardMode.CHECK);
    private final BufferState buf = new BufferState("device buffer 'd'");

    private Touch write() {
        return new Touch(buf, 0, 64, false, true);
    }

    private void op(StreamClock t) {
        tracker.beforeEnqueue(t);
        tracker.commit(t, "fill", write());
    }

    /** What synchronize does: the host learns the stream's clock. */
    private void sync(StreamClock t) {
        tracker.host().join(t.vector().copy());
    }

    @Test
    void joinsBetweenTheHostAndAStreamDoNotGrowTheirClocks() {
        List<StreamClock> s = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            s.add(tracker.register("s" + i, 0, false, true));
        }
        op(s.get(7));
        op(s.get(3));
        sync(s.get(3));
        // the loop that doubled both clocks each round (9, 16, 18, 32, ... then out of memory)
        for (int round = 0; round < 200; round++) {
            sync(s.get(7));
            op(s.get(7));
        }
        assertTrue(tracker.host().capacity() <= 9, "host clock holds " + tracker.host().capacity() + " entries");
        assertTrue(s.get(7).vector().capacity() <= 9, "stream clock holds " + s.get(7).vector().capacity() + " entries");
    }

    @Test
    void aClosedStreamsIndexServesTheNextStream() {
        StreamClock keep = tracker.register("keep", 0, false, true);
        op(keep);
        for (int i = 0; i < 20_000; i++) {
            StreamClock t = tracker.register("churn" + i, 0, false, true);
            op(t);
            sync(t);
            tracker.retire(t);
        }
        assertEquals(1, tracker.openClocks());
        assertTrue(tracker.indexes() <= 3, tracker.indexes() + " indexes for 1 open stream");
        assertTrue(tracker.host().capacity() <= 4, "host clock holds " + tracker.host().capacity() + " entries");
        assertTrue(buf.lastUse.length <= 4, "buffer remembers " + buf.lastUse.length + " streams");
    }

    @Test
    void aStreamOnAReusedIndexIsOrderedOnlyAfterWhatTheHostSaw() {
        StreamClock a = tracker.register("a", 0, false, true);
        op(a);
        sync(a);
        tracker.retire(a);
        StreamClock b = tracker.register("b", 0, false, true);
        assertEquals(a.index(), b.index());
        StreamClock c = tracker.register("c", 0, false, true);
        tracker.beforeEnqueue(c);
        // a finished (the host saw it), so c may use the buffer; b's own new write is still unordered
        assertTrue(tracker.conflicts(c.vector(), write()).isEmpty());
        op(b);
        tracker.beforeEnqueue(c);
        List<Conflict> conflicts = tracker.conflicts(c.vector(), write());
        assertEquals(1, conflicts.size());
        assertEquals("b", conflicts.get(0).earlierName());
    }

    @Test
    void aStreamDroppedWithWorkPendingKeepsItsIndexAndItsHazards() {
        StreamClock a = tracker.register("a", 0, false, true);
        op(a);
        tracker.retire(a);     // dropped unclosed: the host never saw its fill finish
        StreamClock b = tracker.register("b", 0, false, true);
        assertTrue(b.index() != a.index(), "a busy stream's index must not be given to another");
        tracker.beforeEnqueue(b);
        List<Conflict> conflicts = tracker.conflicts(b.vector(), write());
        assertEquals(1, conflicts.size());
        assertEquals("a", conflicts.get(0).earlierName());
    }
}
