package org.jgpu.internal.hazard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgpu.HazardMode;
import org.junit.jupiter.api.Test;

/** How a buffer's range map splits, supersedes and merges, and what conflicts it reports. */
class HazardSegmentsTest {
    private final HazardTracker tracker = new HazardTracker(HazardMode.CHECK);
    private final BufferState buf = new BufferState("device buffer 'd'");
    private final StreamClock a = tracker.register("a", 0, false, true);
    private final StreamClock b = tracker.register("b", 0, false, true);
    private final StreamClock c = tracker.register("c", 0, false, true);

    private Touch write(long s, long e) {
        return new Touch(buf, s, e, false, true);
    }

    private Touch read(long s, long e) {
        return new Touch(buf, s, e, true, false);
    }

    private void op(StreamClock t, String name, Touch... touches) {
        tracker.beforeEnqueue(t);
        tracker.commit(t, name, touches);
    }

    /** What synchronize does: the host learns the stream's clock. */
    private void sync(StreamClock t) {
        tracker.host().join(t.vector().copy());
    }

    private String map() {
        return buf.accesses.toString();
    }

    @Test
    void aPartialReadSplitsAndACoveringWriteMergesBack() {
        op(a, "fill", write(0, 100));
        sync(a);
        op(b, "launch", read(25, 75));
        assertEquals("[0, 25) w1@1 | [25, 75) w1@1 r2@1 | [75, 100) w1@1", map());
        sync(b);
        op(c, "copy", write(0, 100));
        assertEquals("[0, 100) w3@1", map());
    }

    @Test
    void theSameAccessMadeAgainIsRenewedInPlaceNotAllocated() {
        op(a, "launch", read(0, 64), write(64, 128));
        Access read = buf.accesses.head().reads.get(a.index());
        Access write = buf.accesses.head().next.writes.get(a.index());
        op(a, "launch", read(0, 64), write(64, 128));
        assertEquals("[0, 64) r1@2 | [64, 128) w1@2", map());
        assertSame(read, buf.accesses.head().reads.get(a.index()), "a loop's repeated read allocated a record");
        assertSame(write, buf.accesses.head().next.writes.get(a.index()), "a loop's repeated write allocated a record");
        op(b, "launch", read(0, 64));       // another stream's read is a record of its own
        assertEquals("[0, 64) r1@2 r2@1 | [64, 128) w1@2", map());
        assertTrue(!tracker.conflicts(c.vector(), write(0, 128)).isEmpty(), "a renewed access still races with an unordered writer");
    }

    @Test
    void aWriteFillsTheGapsBetweenEarlierAccessesAndMergesWithThem() {
        op(a, "fill", write(10, 20));
        op(a, "fill", write(40, 50));
        assertEquals("[10, 20) w1@1 | [40, 50) w1@2", map());
        op(a, "fill", write(0, 60));
        assertEquals("[0, 60) w1@3", map());
        op(a, "launch", read(30, 80));
        assertEquals("[0, 30) w1@3 | [30, 60) w1@3 r1@4 | [60, 80) r1@4", map());
    }

    @Test
    void aConflictNamesTheEarlierAccessWhole() {
        op(a, "fill", write(0, 100));
        op(a, "copy H2D", write(40, 60));
        // the copy supersedes the fill over [40, 60) only; both race with b's read of [50, 150)
        List<Conflict> found = tracker.conflicts(b.vector(), read(50, 150));
        assertEquals(2, found.size());
        assertEquals(List.of("fill", 50L, 100L), List.of(found.get(0).earlierOp(), found.get(0).start(), found.get(0).end()));
        assertEquals(List.of("copy H2D", 50L, 60L), List.of(found.get(1).earlierOp(), found.get(1).start(), found.get(1).end()));
        assertTrue(found.get(0).earlierWrites());
        assertTrue(!found.get(0).laterWrites());
    }

    @Test
    void anAccessOverManySegmentsIsReportedOnce() {
        op(a, "fill", write(0, 100));
        b.vector().join(a.vector());
        op(b, "read1", read(10, 20));
        op(b, "read2", read(30, 40));
        List<Conflict> found = tracker.conflicts(c.vector(), write(0, 100));
        assertEquals(List.of("fill", "read1", "read2"), found.stream().map(Conflict::earlierOp).toList());
        assertEquals(List.of(10L, 20L), List.of(found.get(1).start(), found.get(1).end()));
    }

    @Test
    void aReadWriteTouchCountsAsAWrite() {
        op(a, "launch", read(0, 64));
        Touch both = new Touch(buf, 0, 64, true, true);
        assertEquals(1, tracker.conflicts(b.vector(), both).size());
        op(b, "launch", both);
        // it superseded nothing it does not follow: a's read stays beside b's write
        assertEquals("[0, 64) w2@1 r1@1", map());
    }

    @Test
    void aReadAndAWriteOfOneOperationOnOneBufferKeepTheWrite() {
        op(a, "launch", read(0, 64), write(0, 64));
        assertEquals("[0, 64) w1@1", map());
        op(a, "launch", write(0, 64), read(0, 32));
        assertEquals("[0, 32) w1@2 r1@2 | [32, 64) w1@2", map());
    }

    @Test
    void aReaderOrderedAfterTheLastReaderSupersedesIt() {
        op(a, "launch first", read(0, 64));
        b.vector().join(a.vector());
        op(b, "launch second", read(0, 64));
        assertEquals("[0, 64) r2@1", map());
        // as when the list dropped the covered read: the hazard names the later reader
        List<Conflict> found = tracker.conflicts(c.vector(), write(0, 64));
        assertEquals(List.of("launch second"), found.stream().map(Conflict::earlierOp).toList());
    }

    @Test
    void writesNothingOrdersStayTogetherUntilAWriteFollowsBoth() {
        // committed without a check, as AUTO does when the racing stream was already closed
        op(a, "fill a", write(0, 64));
        op(b, "fill b", write(0, 64));
        assertEquals("[0, 64) w1@1 w2@1", map());
        List<Conflict> found = tracker.conflicts(c.vector(), read(0, 8));
        assertEquals(List.of("a", "b"), found.stream().map(Conflict::earlierName).toList());
        c.vector().join(a.vector());
        op(c, "fill c", write(0, 32));
        assertEquals("[0, 32) w2@1 w3@1 | [32, 64) w1@1 w2@1", map());
        c.vector().join(b.vector());
        op(c, "fill c", write(0, 64));
        assertEquals("[0, 64) w3@2", map());
    }

    @Test
    void hostAccessesAreCheckedAndRecordedOnTheHostTimeline() {
        op(a, "copy D2H", write(0, 64));
        List<Conflict> found = tracker.conflicts(tracker.host(), read(16, 32));
        assertEquals(1, found.size());
        assertEquals(List.of(16L, 32L), List.of(found.get(0).start(), found.get(0).end()));
        sync(a);
        assertTrue(tracker.conflicts(tracker.host(), read(16, 32)).isEmpty());
        tracker.commitHost("read", read(16, 32));
        tracker.commitHost("write", write(40, 48));
        assertEquals("[0, 16) w1@1 | [16, 32) w1@1 r0@1 | [32, 40) w1@1 | [40, 48) w0@2 | [48, 64) w1@1", map());
        // a stream learns the host's past at its next enqueue, not before
        assertEquals(List.of("copy D2H", "write"),
                tracker.conflicts(b.vector(), read(0, 64)).stream().map(Conflict::earlierOp).toList());
        tracker.beforeEnqueue(b);
        assertTrue(tracker.conflicts(b.vector(), write(0, 64)).isEmpty());
    }

    @Test
    void aStreamOnAReusedIndexReplacesTheClosedStreamsRead() {
        op(a, "launch", read(0, 64));
        sync(a);
        tracker.retire(a);
        StreamClock d = tracker.register("d", 0, false, true);
        assertEquals(a.index(), d.index());
        op(d, "launch", read(0, 64));
        assertEquals(1, buf.accesses.kept(), map());
        tracker.beforeEnqueue(b);
        List<Conflict> found = tracker.conflicts(b.vector(), write(0, 64));
        assertEquals(List.of("d"), found.stream().map(Conflict::earlierName).toList());
    }

    @Test
    void pendingUsersAreTheStreamsTheHostHasNotSeenFinish() {
        op(a, "fill", write(0, 64));
        op(b, "launch", read(0, 8));
        assertEquals(List.of(a.index(), b.index()), tracker.pendingUsers(buf));
        sync(a);
        assertEquals(List.of(b.index()), tracker.pendingUsers(buf));
        tracker.commitHost("read", read(0, 8));
        assertEquals(List.of(b.index()), tracker.pendingUsers(buf));
    }

    @Test
    void anEmptyRangeTouchesNoByte() {
        op(a, "fill", write(0, 64));
        assertTrue(tracker.conflicts(b.vector(), write(32, 32)).isEmpty());
        op(b, "copy", write(32, 32));
        assertEquals("[0, 64) w1@1", map());
        assertEquals(List.of(a.index(), b.index()), tracker.pendingUsers(buf));
    }

    @Test
    void repeatedTiledWorkKeepsTheMapSmall() {
        StreamClock[] readers = {a, b, c};
        for (int round = 0; round < 200; round++) {
            for (StreamClock r : readers) {
                r.vector().join(a.vector());
            }
            for (int i = 0; i < 3; i++) {
                op(readers[i], "launch", read(round % 7 * 8 + i, 64 + i * 8));
            }
            for (StreamClock r : readers) {
                a.vector().join(r.vector());
            }
            op(a, "fill", write(0, 128));
        }
        assertEquals("[0, 128) w1@" + a.vector().get(a.index()), map());
    }
}
