package org.jgpu.internal.hazard;

import java.util.Arrays;

/**
 * What the hazard tracker knows of one allocation: recent accesses that later ones must be
 * ordered after, and the last operation of each stream that used it (so that closing it can
 * wait for exactly that work).
 */
public final class BufferState {
    final String name;
    private final long size;
    /** Recorded accesses by range; empty in {@code HazardMode.OFF}. */
    final AccessMap accesses = new AccessMap();
    long[] lastUse = new long[4];
    private volatile boolean freed;
    /** Set under the owning context's lock when the buffer is closed: no access is accepted after. */
    private volatile boolean closed;

    /**
     * @param name the allocation's name, for messages
     * @param size the allocation's bytes, so that a range over all of them is named by the name alone
     */
    public BufferState(String name, long size) {
        this.name = name;
        this.size = size;
    }

    /** @param name the allocation's name, for messages; its size unknown (every range is named as a slice) */
    public BufferState(String name) {
        this(name, -1);
    }

    /** Marks the allocation freed: captured graphs that use it can no longer launch. */
    public void markFreed() {
        freed = true;
    }

    /** Marks the allocation closed (call under the owning context's lock): nothing more may use it. */
    public void markClosed() {
        closed = true;
    }

    /** @return true once the allocation was closed */
    public boolean isClosed() {
        return closed;
    }

    /** @return true once the allocation was freed */
    public boolean isFreed() {
        return freed;
    }

    /** @return the allocation's name */
    public String name() {
        return name;
    }

    /** @return the allocation's bytes, or -1 if not known */
    public long size() {
        return size;
    }

    @Override
    public String toString() {
        return name;
    }

    void use(int timeline, long time) {
        if (timeline >= lastUse.length) {
            lastUse = Arrays.copyOf(lastUse, Math.max(timeline + 1, lastUse.length * 2));
        }
        lastUse[timeline] = time;
    }
}
