package org.jgpu.internal.hazard;

/**
 * One recorded access: by which timeline, at which of its times, which range, how. It keeps the
 * names and the operation by reference, so recording builds no text; messages are made from it
 * only when a conflict is reported. An access may stay in several segments of its buffer's
 * {@link AccessMap}, each the part of its range that no later access has superseded.
 */
final class Access {
    final int timeline;
    final String timelineName;
    final long time;
    final long start;
    final long end;
    final boolean writes;
    final Object op;
    /** Commit order on the buffer: conflicts are reported oldest first, naming the earliest racing operation. */
    final long seq;
    /** The last conflict search that reported this access, so one spanning many segments is reported once. */
    long reportedIn;

    Access(int timeline, String timelineName, long time, long start, long end, boolean writes, Object op, long seq) {
        this.timeline = timeline;
        this.timelineName = timelineName;
        this.time = time;
        this.start = start;
        this.end = end;
        this.writes = writes;
        this.op = op;
        this.seq = seq;
    }

    /** @return true if an access by the timeline whose clock is {@code c} is ordered after this one */
    boolean followedBy(VectorClock c) {
        return c.get(timeline) >= time;
    }
}
