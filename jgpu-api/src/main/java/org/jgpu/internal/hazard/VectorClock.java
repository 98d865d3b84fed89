package org.jgpu.internal.hazard;

import java.util.Arrays;

/**
 * A vector clock over the host (index 0) and every stream (1, 2, ...): entry i is the latest
 * operation of timeline i known to have happened before the owner's next operation.
 * Not thread-safe: the tracker's owner guards it.
 */
public final class VectorClock {
    private long[] times;
    private long version;

    /** An all-zero clock. */
    public VectorClock() {
        this.times = new long[4];
    }

    private VectorClock(long[] times) {
        this.times = times;
    }

    /**
     * @param i a timeline index
     * @return the latest known operation of timeline i
     */
    public long get(int i) {
        return i < times.length ? times[i] : 0;
    }

    /**
     * Advances timeline i by one operation.
     *
     * @param i the owner's own index
     * @return the new time
     */
    public long tick(int i) {
        ensure(i);
        version++;
        return ++times[i];
    }

    /**
     * Takes the element-wise maximum with {@code other}.
     *
     * @param other another clock
     */
    public void join(VectorClock other) {
        long[] o = other.times;
        ensure(o.length - 1);
        boolean changed = false;
        for (int i = 0; i < o.length; i++) {
            if (o[i] > times[i]) {
                times[i] = o[i];
                changed = true;
            }
        }
        if (changed) {
            version++;
        }
    }

    /** @return a counter that changes whenever this clock does */
    public long version() {
        return version;
    }

    /** @return an independent copy */
    public VectorClock copy() {
        return new VectorClock(times.clone());
    }

    private void ensure(int i) {
        if (i >= times.length) {
            times = Arrays.copyOf(times, Math.max(i + 1, times.length * 2));
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(times);
    }
}
