package org.jgpu.internal.hazard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgpu.HazardMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a check and a record cost, counted in segments walked and recorded accesses tested: it must
 * not grow with the accesses recorded elsewhere on the buffer, nor with unordered readers when
 * the new access only reads.
 */
class HazardCostTest {
    private static final long SLICE = 256;

    private final HazardTracker tracker = new HazardTracker(HazardMode.CHECK);
    private final BufferState src = new BufferState("device buffer 'src'");
    private final BufferState z = new BufferState("device buffer 'z'");

    /** Visits of one check plus one record of the touches, on the given buffers. */
    private long checkAndCommit(StreamClock s, Touch... touches) {
        long before = visits(touches);
        tracker.beforeEnqueue(s);
        assertTrue(tracker.conflicts(s.vector(), touches).isEmpty());
        tracker.commit(s, "copy", touches);
        return visits(touches) - before;
    }

    private static long visits(Touch... touches) {
        long n = 0;
        for (Touch t : touches) {
            n += t.buffer().accesses.visits;
        }
        return n;
    }

    private long copyIntoOneSliceAfterSlicesWritten(int m) {
        StreamClock s = tracker.register("tiles", 0, false, true);
        for (int i = 0; i < m; i++) {
            tracker.commit(s, "fill", new Touch(z, i * SLICE, (i + 1) * SLICE, false, true));
        }
        assertEquals(m, z.accesses.segments());
        Touch from = new Touch(src, 0, SLICE, true, false);
        Touch into = new Touch(z, (m / 2) * SLICE, (m / 2 + 1) * SLICE, false, true);
        checkAndCommit(s, from, into);
        return checkAndCommit(s, from, into);
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 16384})
    void aCopyIntoOneSliceCostsTheSameHoweverManySlicesWereWritten(int m) {
        long one = new HazardCostTest().copyIntoOneSliceAfterSlicesWritten(1);
        long many = copyIntoOneSliceAfterSlicesWritten(m);
        assertEquals(one, many, "visits with 1 slice: " + one + ", with " + m + ": " + many);
        assertTrue(many <= 8, many + " visits");
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 16384})
    void aStreamThatRacesWithOneSliceIsToldOfThatSliceOnly(int m) {
        StreamClock s = tracker.register("tiles", 0, false, true);
        for (int i = 0; i < m; i++) {
            tracker.commit(s, "fill", new Touch(z, i * SLICE, (i + 1) * SLICE, false, true));
        }
        StreamClock other = tracker.register("other", 0, false, true);
        long before = z.accesses.visits;
        List<Conflict> c = tracker.conflicts(other.vector(), new Touch(z, 7 * SLICE + 10, 8 * SLICE + 10, true, false));
        assertEquals(List.of(7 * SLICE + 10, 8 * SLICE, 8 * SLICE, 8 * SLICE + 10),
                List.of(c.get(0).start(), c.get(0).end(), c.get(1).start(), c.get(1).end()));
        assertEquals(2, c.size());
        assertTrue(z.accesses.visits - before <= 4, (z.accesses.visits - before) + " visits");
    }

    private long launchAfterReaders(int k) {
        BufferState x = new BufferState("device buffer 'x'");
        BufferState y = new BufferState("device buffer 'y'");
        for (int i = 0; i < k; i++) {
            StreamClock r = tracker.register("reader" + i, 0, false, true);
            tracker.beforeEnqueue(r);
            tracker.commit(r, "launch sum", new Touch(x, 0, 4096, true, false));
        }
        StreamClock s = tracker.register("compute", 0, false, true);
        Touch[] args = {new Touch(x, 0, 4096, true, false), new Touch(y, 0, 4096, false, true)};
        checkAndCommit(s, args);
        checkAndCommit(s, args);
        long cost = checkAndCommit(s, args);
        assertEquals(k + 1, x.accesses.kept(), "one read per timeline: " + x.accesses);
        return cost;
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 512})
    void aReadCostsTheSameHoweverManyUnorderedReadersCameBefore(int k) {
        long one = new HazardCostTest().launchAfterReaders(1);
        long many = launchAfterReaders(k);
        assertEquals(one, many, "visits with 1 reader: " + one + ", with " + k + ": " + many);
        assertTrue(many <= 8, many + " visits");
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 512})
    void aWriteAfterUnorderedReadersTestsEachOnceAndNamesTheOldestFirst(int k) {
        BufferState x = new BufferState("device buffer 'x'");
        List<StreamClock> readers = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            StreamClock r = tracker.register("reader" + i, 0, false, true);
            readers.add(r);
            tracker.beforeEnqueue(r);
            // split the readers' segment in three, so that each read spans several segments
            tracker.commit(r, "launch sum", new Touch(x, i == 1 ? 100 : 0, i == 1 ? 200 : 4096, true, false));
        }
        StreamClock w = tracker.register("writer", 0, false, true);
        long before = x.accesses.visits;
        List<Conflict> c = tracker.conflicts(w.vector(), new Touch(x, 0, 4096, false, true));
        assertEquals(k, c.size());
        assertEquals("reader0", c.get(0).earlierName());
        assertEquals(List.of(0L, 4096L), List.of(c.get(0).start(), c.get(0).end()));
        assertEquals(List.of(100L, 200L), List.of(c.get(1).start(), c.get(1).end()));
        long visited = x.accesses.visits - before;
        assertTrue(visited <= 3 + 3L * k, visited + " visits for " + k + " readers in 3 segments");
        // once the writer waits for them all, its write leaves a single segment holding itself
        for (StreamClock r : readers) {
            w.vector().join(r.vector());
        }
        tracker.commit(w, "fill", new Touch(x, 0, 4096, false, true));
        assertEquals(1, x.accesses.segments(), x.accesses.toString());
        assertEquals(1, x.accesses.kept(), x.accesses.toString());
    }
}
