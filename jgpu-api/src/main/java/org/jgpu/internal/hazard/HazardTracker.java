package org.jgpu.internal.hazard;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import org.jgpu.HazardMode;

/**
 * Orders operations by vector clocks, the way a race detector does, and finds the ones that
 * race on a buffer.
 *
 * <p>Index 0 of every vector clock is the host's; each stream has its own. A stream's clock advances with each of its
 * operations and absorbs the clocks it learns of: the host's at every enqueue (the host did
 * everything before it enqueued), an event's on {@code waitFor}, the legacy default stream's
 * rules. The host absorbs a stream's or event's clock when it observes completion (synchronize,
 * a query that returns true, a completed future). An access races with an earlier one on an
 * overlapping range when at least one writes and the earlier one's time is not in the later
 * timeline's clock. Each buffer keeps its accesses in an {@link AccessMap}, so a check costs
 * O(log n) in the accesses recorded on it plus the ones it overlaps and must test.
 *
 * <p>A closed stream's index is given to the next stream created, whose times count on from the
 * closed one's last: so clocks hold one entry per stream open at once (not per stream ever
 * created), and an entry still means "everything up to this time on this index".
 *
 * <p>Pure bookkeeping, no device calls. Not thread-safe: every call is made under the owning
 * context's lock.
 */
public final class HazardTracker {
    /** The host's timeline index. */
    public static final int HOST = 0;
    /** Commit order: conflicts are reported oldest first, so the earliest racing operation is named. */
    private static final Comparator<Access> OLDEST_FIRST = Comparator.comparingLong(a -> a.seq);

    private final HazardMode mode;
    private final VectorClock host = new VectorClock();
    /** The open streams' clocks by index; null where the index is free (and at the host's index). */
    private final List<StreamClock> clocks = new ArrayList<>();
    /** Indexes of closed streams, for reuse. */
    private final BitSet free = new BitSet();
    /** Each member context's legacy default stream, by member number; null where it has none open. */
    private final List<StreamClock> legacyDefaults = new ArrayList<>();

    /** @param mode what the owner does about conflicts; in OFF no access is recorded */
    public HazardTracker(HazardMode mode) {
        this.mode = mode;
        clocks.add(null);
    }

    /** @return the host's clock */
    public VectorClock host() {
        return host;
    }

    /**
     * @param name the stream's name
     * @param member the number of the stream's context among the contexts sharing this tracker:
     *               the legacy default stream orders itself with the blocking streams of its own
     *               context only
     * @param legacyDefault true for the legacy default stream
     * @param blocking true unless the stream is non-blocking
     * @return the stream's timeline
     */
    public StreamClock register(String name, int member, boolean legacyDefault, boolean blocking) {
        int index = free.nextSetBit(1);
        StreamClock t;
        if (index < 0) {
            t = new StreamClock(clocks.size(), name, member, legacyDefault, blocking, 0);
            clocks.add(t);
        } else {
            free.clear(index);
            // the host saw the closed owner finish: the new owner counts on from its last time
            t = new StreamClock(index, name, member, legacyDefault, blocking, host.get(index));
            clocks.set(index, t);
        }
        if (legacyDefault) {
            while (legacyDefaults.size() <= member) {
                legacyDefaults.add(null);
            }
            legacyDefaults.set(member, t);
        }
        return t;
    }

    /**
     * Forgets a destroyed stream: it takes part in no later ordering. Its index goes to the next
     * stream registered once the host has seen its last operation finish (closing a stream waits
     * for that); until then (a stream dropped with work pending) the index stays taken, so that
     * no later stream inherits an order the device never gave. Its accesses stay on their buffers
     * until later accesses cover them.
     *
     * @param t the stream's timeline; retiring it twice does nothing
     */
    public void retire(StreamClock t) {
        if (t.retired) {
            return;
        }
        t.retired = true;
        clocks.set(t.index, null);
        if (host.get(t.index) >= t.vector.get(t.index)) {
            free.set(t.index);
        }
        if (t.legacyDefault && legacyDefaults.get(t.member) == t) {
            legacyDefaults.set(t.member, null);
        }
    }

    /** @return how many timelines are open, the host not counted (for tests of the bound) */
    int openClocks() {
        int n = 0;
        for (StreamClock t : clocks) {
            n += t == null ? 0 : 1;
        }
        return n;
    }

    /** @return the number of indexes in use or free, the host's included (for tests of the bound) */
    int indexes() {
        return clocks.size();
    }

    /**
     * Brings a stream's clock up to date before it enqueues: the host's past, and the legacy
     * default stream's implicit ordering.
     *
     * @param t the stream's timeline
     */
    public void beforeEnqueue(StreamClock t) {
        if (t.hostVersionSeen != host.version()) {
            t.vector.join(host);
            t.hostVersionSeen = host.version();
        }
        if (t.legacyDefault) {
            for (int i = 1; i < clocks.size(); i++) {
                StreamClock o = clocks.get(i);
                if (o != null && o != t && o.blocking && o.member == t.member) {
                    t.vector.join(o.vector);
                }
            }
        } else if (t.blocking) {
            StreamClock legacyDefault = t.member < legacyDefaults.size() ? legacyDefaults.get(t.member) : null;
            if (legacyDefault != null && t.defaultVersionSeen != legacyDefault.vector.version()) {
                t.vector.join(legacyDefault.vector);
                t.defaultVersionSeen = legacyDefault.vector.version();
            }
        }
    }

    /**
     * Finds earlier accesses that the given ones race with.
     *
     * @param clock the later timeline's clock (the host's for host access)
     * @param touches the later operation's accesses
     * @return the conflicts, touch by touch and each touch's oldest first, or an empty list
     */
    public List<Conflict> conflicts(VectorClock clock, Touch... touches) {
        return conflicts(clock, Touches.of(touches));
    }

    /**
     * Finds earlier accesses that the given ones race with.
     *
     * @param clock the later timeline's clock (the host's for host access)
     * @param touches the later operation's accesses
     * @return the conflicts, touch by touch and each touch's oldest first, or an empty list
     */
    public List<Conflict> conflicts(VectorClock clock, Touches touches) {
        List<Conflict> out = List.of();
        if (mode == HazardMode.OFF) {
            return out;
        }
        for (int i = 0, n = touches.touchCount(); i < n; i++) {
            Touch t = touches.touch(i);
            List<Access> found = t.buffer().accesses.conflicting(t.start(), t.end(), t.writes(), clock);
            if (found == null) {
                continue;
            }
            if (found.size() > 1) {
                found.sort(OLDEST_FIRST);
            }
            if (out.isEmpty()) {
                out = new ArrayList<>(found.size());
            }
            for (Access r : found) {
                out.add(new Conflict(t.buffer().name, r.timeline, r.timelineName, String.valueOf(r.op), r.writes,
                        Math.max(r.start, t.start()), Math.min(r.end, t.end()), t.writes()));
            }
        }
        return out;
    }

    /**
     * Records a stream's operation: advances its clock and remembers its accesses.
     *
     * @param t the stream's timeline
     * @param op what the operation is, named by its {@code toString()} in later messages (made
     *           only when a conflict is found)
     * @param touches its accesses
     */
    public void commit(StreamClock t, Object op, Touch... touches) {
        commit(t, op, Touches.of(touches));
    }

    /**
     * Records a stream's operation: advances its clock and remembers its accesses.
     *
     * @param t the stream's timeline
     * @param op what the operation is, named by its {@code toString()} in later messages (made
     *           only when a conflict is found)
     * @param touches its accesses
     */
    public void commit(StreamClock t, Object op, Touches touches) {
        long time = t.vector.tick(t.index);
        remember(t.index, t.name, t.vector, time, op, touches);
    }

    /**
     * Records a host access.
     *
     * @param op what the access is, for later messages
     * @param touches its accesses
     */
    public void commitHost(String op, Touch... touches) {
        commitHost(op, Touches.of(touches));
    }

    /**
     * Records a host access.
     *
     * @param op what the access is, for later messages
     * @param touches its accesses
     */
    public void commitHost(String op, Touches touches) {
        long time = host.tick(HOST);
        remember(HOST, "host", host, time, op, touches);
    }

    private void remember(int index, String name, VectorClock clock, long time, Object op, Touches touches) {
        for (int i = 0, n = touches.touchCount(); i < n; i++) {
            Touch t = touches.touch(i);
            BufferState b = t.buffer();
            b.use(index, time);
            if (mode == HazardMode.OFF) {
                continue;
            }
            b.accesses.record(index, name, time, t.start(), t.end(), t.writes(), op, clock);
        }
    }

    /**
     * The streams whose work on a buffer the host has not yet seen complete.
     *
     * @param b the allocation
     * @return timeline indexes (never the host's)
     */
    public List<Integer> pendingUsers(BufferState b) {
        List<Integer> out = new ArrayList<>(2);
        for (int i = 1; i < b.lastUse.length; i++) {
            if (b.lastUse[i] > host.get(i)) {
                out.add(i);
            }
        }
        return out;
    }
}
