package org.jgpu.internal.hazard;

/**
 * The hazard tracker's view of one stream: its index, name and clock, and the legacy
 * default-stream rules it follows.
 */
public final class Timeline {
    final int index;
    final String name;
    final boolean legacyDefault;
    final boolean blocking;
    final VectorClock clock = new VectorClock();
    long hostVersionSeen = -1;
    long defaultVersionSeen = -1;
    boolean retired;

    Timeline(int index, String name, boolean legacyDefault, boolean blocking, long firstTime) {
        this.index = index;
        this.name = name;
        this.legacyDefault = legacyDefault;
        this.blocking = blocking;
        clock.startAt(index, firstTime);
    }

    /** @return the index in every vector clock */
    public int index() {
        return index;
    }

    /** @return the stream's name */
    public String name() {
        return name;
    }

    /** @return the stream's clock (guarded by the tracker's owner) */
    public VectorClock clock() {
        return clock;
    }
}
