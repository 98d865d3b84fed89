package org.jgpu.internal.hazard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A byte range of a buffer over which the same recorded accesses matter: the writes that no later
 * write ordered after them superseded, and the reads since, at most one of each per timeline.
 * Segments of a buffer are disjoint, kept sorted by start and linked in that order.
 */
final class Segment {
    long start;
    long end;
    Segment prev;
    Segment next;
    /** Set when the segment leaves its map (a search's cached answer must not return it). */
    boolean removed;
    final ByTimeline writes;
    final ByTimeline reads;
    /**
     * The read added last, if still here: a read ordered after it supersedes it even when made by
     * another timeline, as a stream that waited for the previous reader does. Only this one is
     * tested, so a read costs O(1) however many unordered readers the segment has.
     */
    Access lastRead;

    Segment(long start, long end, ByTimeline writes, ByTimeline reads) {
        this.start = start;
        this.end = end;
        this.writes = writes;
        this.reads = reads;
    }

    /** A segment of {@code [start, end)} holding only {@code a}. */
    static Segment of(long start, long end, Access a) {
        Segment s = new Segment(start, end, new ByTimeline(), new ByTimeline());
        s.add(a);
        return s;
    }

    /** @return the part from {@code at} on, with the same accesses; this one ends at {@code at} */
    Segment splitAt(long at) {
        Segment right = new Segment(at, end, writes.copy(), reads.copy());
        right.lastRead = lastRead;
        end = at;
        return right;
    }

    /** @return true once later accesses superseded everything here */
    boolean isEmpty() {
        return writes.size() == 0 && reads.size() == 0;
    }

    /**
     * Makes way for a later access {@code a}, made by a timeline whose clock (after its tick) is
     * {@code c}: drops what it covers and follows here. A write covers everything; a read covers
     * its own timeline's earlier read and the last read if it follows it.
     *
     * @return how many recorded accesses were tested
     */
    int supersede(Access a, VectorClock c) {
        if (a.writes) {
            int tested = writes.removeFollowed(c) + reads.removeFollowed(c);
            if (lastRead != null && reads.get(lastRead.timeline) != lastRead) {
                lastRead = null;
            }
            return tested;
        }
        int tested = 0;
        Access own = reads.get(a.timeline);
        if (own != null) {
            reads.remove(own);
            tested++;
        }
        Access last = lastRead;
        if (last != null && last != own && reads.get(last.timeline) == last) {
            tested++;
            if (last.followedBy(c)) {
                reads.remove(last);
            }
        }
        return tested;
    }

    /** Adds {@code a}, replacing its timeline's access of the same kind. */
    void add(Access a) {
        if (a.writes) {
            writes.put(a);
        } else {
            reads.put(a);
            lastRead = a;
        }
    }

    /** @return e.g. {@code [0, 64) w1@3 r2@5 r4@1}: timeline at time, by timeline (for tests) */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append('[').append(start).append(", ").append(end).append(')');
        append(sb, 'w', writes);
        append(sb, 'r', reads);
        return sb.toString();
    }

    private static void append(StringBuilder sb, char kind, ByTimeline set) {
        List<Access> all = new ArrayList<>();
        for (int i = 0; i < set.slots(); i++) {
            if (set.slot(i) != null) {
                all.add(set.slot(i));
            }
        }
        all.sort(Comparator.comparingInt(a -> a.timeline));
        for (Access a : all) {
            sb.append(' ').append(kind).append(a.timeline).append('@').append(a.time);
        }
    }
}
