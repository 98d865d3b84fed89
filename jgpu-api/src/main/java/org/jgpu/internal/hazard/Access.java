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
    /** When, what and in which commit order: renewed when the same access is made again ({@link #renew}). */
    long time;
    final long start;
    final long end;
    final boolean writes;
    Object op;
    /** Commit order on the buffer: conflicts are reported oldest first, naming the earliest racing operation. */
    long seq;
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

    /**
     * Makes this access the record of a later one by the same timeline to the same range, of the
     * same kind: what a loop re-recording the same access costs is then no allocation.
     */
    void renew(long laterTime, Object laterOp, long laterSeq) {
        time = laterTime;
        op = laterOp;
        seq = laterSeq;
        reportedIn = 0;
    }

    /** @return true if an access by the timeline whose clock is {@code c} is ordered after this one */
    boolean followedBy(VectorClock c) {
        return c.get(timeline) >= time;
    }
}
