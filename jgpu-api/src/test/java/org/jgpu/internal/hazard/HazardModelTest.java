package org.jgpu.internal.hazard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jgpu.HazardMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random work checked against a model that keeps every access ever made: the tracker drops only
 * what later accesses cover and follow, so it must find a race exactly when the model does, and
 * waiting for the streams it names must order the access after everything the model knows.
 */
class HazardModelTest {
    private record Made(BufferState buffer, int timeline, long time, long start, long end, boolean writes, String op) {
    }

    private final HazardTracker tracker = new HazardTracker(HazardMode.CHECK);
    private final List<Made> history = new ArrayList<>();
    private final StreamClock[] streams = new StreamClock[4];

    private List<Made> modelConflicts(VectorClock clock, Touch t) {
        List<Made> out = new ArrayList<>();
        for (Made m : history) {
            if (m.buffer() == t.buffer() && m.start() < t.end() && t.start() < m.end() && (m.writes() || t.writes())
                    && clock.get(m.timeline()) < m.time()) {
                out.add(m);
            }
        }
        return out;
    }

    private List<Made> modelConflicts(VectorClock clock, Touch[] touches) {
        List<Made> out = new ArrayList<>();
        for (Touch t : touches) {
            out.addAll(modelConflicts(clock, t));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void racesFoundAreTheModelsAndWaitingForTheirStreamsOrdersEverything(long seed) {
        Random rnd = new Random(seed);
        BufferState[] buffers = {new BufferState("device buffer 'p'"), new BufferState("device buffer 'q'")};
        for (int i = 0; i < streams.length; i++) {
            streams[i] = tracker.register("s" + i, 0, false, true);
        }
        for (int step = 0; step < 4000; step++) {
            int action = rnd.nextInt(10);
            StreamClock s = streams[rnd.nextInt(streams.length)];
            if (action == 0) {
                s.vector().join(streams[rnd.nextInt(streams.length)].vector().copy());
            } else if (action == 1) {
                tracker.host().join(s.vector().copy());
            } else if (action == 2 && tracker.host().get(s.index()) >= s.vector().get(s.index())) {
                tracker.retire(s);
                streams[indexOf(s)] = tracker.register("s" + step, 0, false, true);
            } else {
                access(rnd, buffers, action == 3 ? null : s, "op" + step);
            }
        }
    }

    private int indexOf(StreamClock s) {
        for (int i = 0; i < streams.length; i++) {
            if (streams[i] == s) {
                return i;
            }
        }
        throw new AssertionError(s.name());
    }

    /** One operation of a stream (the host's if null): checked, then made whatever was found. */
    private void access(Random rnd, BufferState[] buffers, StreamClock s, String op) {
        // each buffer at most once, so that an operation's name and a buffer name one access
        Touch[] touches = new Touch[1 + rnd.nextInt(2)];
        int first = rnd.nextInt(buffers.length);
        for (int i = 0; i < touches.length; i++) {
            long start = 4L * rnd.nextInt(16);
            long end = start + 4L * (1 + rnd.nextInt(16 - (int) (start / 4)));
            int kind = rnd.nextInt(3);
            touches[i] = new Touch(buffers[(first + i) % buffers.length], start, end, kind != 1, kind != 0);
        }
        if (s != null) {
            tracker.beforeEnqueue(s);
        }
        VectorClock clock = s == null ? tracker.host() : s.vector();
        List<Conflict> found = tracker.conflicts(clock, touches);
        List<Made> expected = modelConflicts(clock, touches);
        assertEquals(expected.isEmpty(), found.isEmpty(), op + ": found " + found + ", model " + expected);
        Set<String> seen = new HashSet<>();
        for (Conflict c : found) {
            assertTrue(seen.add(c.buffer() + c.earlierOp()), op + " reported twice: " + c);
            Touch t = touches[touches[0].buffer().name().equals(c.buffer()) ? 0 : 1];
            assertTrue(expected.stream().anyMatch(m -> m.op().equals(c.earlierOp()) && m.buffer() == t.buffer()
                    && m.timeline() == c.earlierTimeline() && m.writes() == c.earlierWrites() && t.writes() == c.laterWrites()
                    && c.start() == Math.max(m.start(), t.start()) && c.end() == Math.min(m.end(), t.end())),
                    op + ": " + c + " is not in the model's " + expected);
        }
        if (!found.isEmpty() && rnd.nextBoolean()) {
            // what AUTO does: wait for each stream named, then nothing the model knows is unordered
            for (Conflict c : found) {
                clock.join(c.earlierTimeline() == HazardTracker.HOST ? tracker.host() : clockOf(c.earlierTimeline()));
            }
            assertEquals(List.of(), modelConflicts(clock, touches), op + " after waiting for " + found);
        }
        long time;
        if (s == null) {
            tracker.commitHost(op, touches);
            time = tracker.host().get(HazardTracker.HOST);
        } else {
            tracker.commit(s, op, touches);
            time = s.vector().get(s.index());
        }
        for (Touch t : touches) {
            history.add(new Made(t.buffer(), s == null ? HazardTracker.HOST : s.index(), time, t.start(), t.end(),
                    t.writes(), op));
        }
    }

    /** The open stream on an index: streams are retired only once the host saw them finish, so a stream named is open. */
    private VectorClock clockOf(int timeline) {
        for (StreamClock s : streams) {
            if (s.index() == timeline) {
                return s.vector();
            }
        }
        throw new AssertionError("no open stream on index " + timeline);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void aTableByTimelineBehavesAsAMap(long seed) {
        Random rnd = new Random(seed);
        ByTimeline table = new ByTimeline();
        Map<Integer, Access> model = new HashMap<>();
        long time = 0;
        for (int step = 0; step < 20_000; step++) {
            int action = rnd.nextInt(20);
            // timelines that share home slots, so that removals must repair probe chains
            int timeline = rnd.nextInt(8) * 16 + rnd.nextInt(3);
            if (action < 12) {
                Access a = new Access(timeline, "s", ++time, 0, 1, false, "op", time);
                table.put(a);
                model.put(timeline, a);
            } else if (action < 19) {
                Access a = model.remove(timeline);
                if (a != null) {
                    table.remove(a);
                }
            } else {
                VectorClock c = new VectorClock();
                for (int t : model.keySet()) {
                    c.startAt(t, rnd.nextBoolean() ? time : 0);
                }
                table.removeFollowed(c);
                model.values().removeIf(a -> a.followedBy(c));
            }
            assertEquals(model.size(), table.size());
            for (int t = 0; t < 8 * 16; t++) {
                assertSame(model.get(t), table.get(t), "timeline " + t + " at step " + step);
            }
        }
    }
}
