package org.jgpu.internal.hazard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The recorded accesses of one buffer as a range map: disjoint segments, sorted by start, each
 * holding the accesses that still matter over its bytes. A check or a record finds the first
 * segment of its range in O(log n) and walks only the segments it overlaps, so its cost does not
 * grow with accesses elsewhere in the buffer (a tiled kernel's thousands of written slices), and
 * a read tests only writes, so unordered readers cost a later read nothing.
 *
 * <p>A record splits segments at its bounds, supersedes in each what it covers and follows, and
 * merges the segments left holding only itself into one: so a write over many slices leaves one
 * segment, and memory stays bounded by the accesses that nothing later has both covered and
 * followed. Not thread-safe: the tracker's owner guards it.
 */
final class AccessMap {
    private static final Comparator<Segment> BY_START = Comparator.comparingLong(g -> g.start);

    private final TreeSet<Segment> byStart = new TreeSet<>(BY_START);
    /** The key of lookups by position, reused so that a lookup allocates nothing. */
    private final Segment probe = new Segment(0, 0, null, null);
    private Segment head;
    /** The segment found last: an operation repeated on the same range finds it without a search. */
    private Segment found;
    private long commits;
    private long searches;
    /** Segments walked and recorded accesses tested, in total: what the bound is about (for tests). */
    long visits;

    /**
     * Finds the recorded accesses that an access of {@code [start, end)} races with; an empty
     * range touches no byte and races with nothing.
     *
     * @param writes whether the access writes (a read races only with writes)
     * @param c the accessing timeline's clock
     * @return the accesses found, each once, or null if none (nothing is allocated then)
     */
    List<Access> conflicting(long start, long end, boolean writes, VectorClock c) {
        if (start >= end) {
            return null;
        }
        List<Access> out = null;
        long search = ++searches;
        for (Segment g = firstEndingAfter(start); g != null && g.start < end; g = g.next) {
            visits++;
            out = collect(g.writes, c, search, out);
            if (writes) {
                out = collect(g.reads, c, search, out);
            }
        }
        return out;
    }

    private List<Access> collect(ByTimeline set, VectorClock c, long search, List<Access> out) {
        for (int i = 0; i < set.slots(); i++) {
            Access a = set.slot(i);
            if (a == null) {
                continue;
            }
            visits++;
            if (!a.followedBy(c) && a.reportedIn != search) {
                a.reportedIn = search;
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Records an access of {@code [start, end)}; an empty range touches no byte and is not kept.
     *
     * @param c the accessing timeline's clock, already ticked to {@code time}
     */
    void record(int timeline, String timelineName, long time, long start, long end, boolean writes, Object op,
            VectorClock c) {
        if (start >= end) {
            return;
        }
        Segment f = floor(start);
        Access a = sameAccessIn(f, timeline, timelineName, start, end, writes);
        if (a != null) {
            a.renew(time, op, commits++);   // superseded below and added back
            if (f.writes.size() + f.reads.size() == 1) {
                // alone in its segment, the renewed access supersedes nothing else: it stays as it is
                if (!writes) {
                    f.lastRead = a;
                }
                visits++;
                return;
            }
        } else {
            a = new Access(timeline, timelineName, time, start, end, writes, op, commits++);
        }
        Segment prev;
        Segment cur;
        if (f == null) {
            prev = null;
            cur = head;
        } else if (f.end <= start) {
            prev = f;
            cur = f.next;
        } else if (f.start < start) {
            prev = f;
            cur = link(f, f.splitAt(start));
        } else {
            prev = f.prev;
            cur = f;
        }
        // fill: a segment holding only a and ending at pos, which gaps and emptied segments extend
        Segment fill = null;
        long pos = start;
        while (pos < end) {
            if (cur == null || cur.start > pos) {
                long to = cur == null ? end : Math.min(cur.start, end);
                if (fill == null) {
                    fill = link(prev, Segment.of(pos, to, a));
                } else {
                    fill.end = to;
                }
                prev = fill;
                pos = to;
                continue;
            }
            if (cur.end > end) {
                link(cur, cur.splitAt(end));
            }
            visits += 1 + cur.supersede(a, c);
            Segment next = cur.next;
            pos = cur.end;
            boolean emptied = cur.isEmpty();
            if (emptied && fill != null) {
                fill.end = pos;
                unlink(cur);
            } else {
                cur.add(a);
                fill = emptied ? cur : null;
                prev = cur;
            }
            cur = next;
        }
    }

    /**
     * The timeline's own earlier access of the same range and kind, if it lives in exactly one
     * segment, {@code f}, which the new access supersedes it in: it can be renewed in place.
     */
    private static Access sameAccessIn(Segment f, int timeline, String timelineName, long start, long end,
            boolean writes) {
        if (f == null || f.start != start || f.end != end) {
            return null;
        }
        Access old = (writes ? f.writes : f.reads).get(timeline);
        boolean same = old != null && old.start == start && old.end == end && old.writes == writes
                && old.timelineName == timelineName;
        return same ? old : null;
    }

    /** @return the first segment, or null (for tests) */
    Segment head() {
        return head;
    }

    /** @return the last segment that starts at or before {@code pos}, or null */
    private Segment floor(long pos) {
        Segment g = found;
        if (g != null && !g.removed && g.start <= pos && pos < g.end) {
            return g;    // segments are disjoint: the one holding pos is the floor
        }
        probe.start = pos;
        g = byStart.floor(probe);
        found = g;
        return g;
    }

    /** @return the first segment that ends after {@code pos}, or null */
    private Segment firstEndingAfter(long pos) {
        Segment f = floor(pos);
        if (f == null) {
            return head;
        }
        return f.end > pos ? f : f.next;
    }

    /** Inserts {@code g} after {@code prev} (first if null); returns it. */
    private Segment link(Segment prev, Segment g) {
        g.prev = prev;
        g.next = prev == null ? head : prev.next;
        if (g.next != null) {
            g.next.prev = g;
        }
        if (prev == null) {
            head = g;
        } else {
            prev.next = g;
        }
        byStart.add(g);
        return g;
    }

    private void unlink(Segment g) {
        byStart.remove(g);
        g.removed = true;
        if (g.prev == null) {
            head = g.next;
        } else {
            g.prev.next = g.next;
        }
        if (g.next != null) {
            g.next.prev = g.prev;
        }
    }

    /** @return how many segments the buffer is split into (for tests of the bound) */
    int segments() {
        return byStart.size();
    }

    /** @return the accesses kept, counted once per segment that keeps them (for tests of the bound) */
    int kept() {
        int n = 0;
        for (Segment g = head; g != null; g = g.next) {
            n += g.writes.size() + g.reads.size();
        }
        return n;
    }

    /** @return the segments' bounds and contents in order, e.g. {@code [0,64):w1 r2} (for tests) */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Segment g = head; g != null; g = g.next) {
            sb.append(sb.length() == 0 ? "" : " | ").append(g);
        }
        return sb.toString();
    }
}
