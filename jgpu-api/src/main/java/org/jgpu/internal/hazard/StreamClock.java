package org.jgpu.internal.hazard;

/**
 * The hazard tracker's view of one stream: its index in every vector clock, its name, its own
 * vector clock, and the legacy default-stream rules it follows.
 */
public final class StreamClock {
    final int index;
    final String name;
    /** The number of the stream's context among those sharing the tracker. */
    final int member;
    final boolean legacyDefault;
    final boolean blocking;
    final VectorClock vector = new VectorClock();
    long hostVersionSeen = -1;
    long defaultVersionSeen = -1;
    boolean retired;

    StreamClock(int index, String name, int member, boolean legacyDefault, boolean blocking, long firstTime) {
        this.index = index;
        this.name = name;
        this.member = member;
        this.legacyDefault = legacyDefault;
        this.blocking = blocking;
        vector.startAt(index, firstTime);
    }

    /** @return the index in every vector clock */
    public int index() {
        return index;
    }

    /** @return the stream's name */
    public String name() {
        return name;
    }

    /** @return true for the legacy default stream, which orders itself with every blocking stream */
    public boolean legacyDefault() {
        return legacyDefault;
    }

    /** @return the stream's vector clock (guarded by the tracker's owner) */
    public VectorClock vector() {
        return vector;
    }
}
