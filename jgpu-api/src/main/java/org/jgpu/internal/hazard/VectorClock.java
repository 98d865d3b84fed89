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

    /**
     * Sets timeline i's entry to a time the clock has not passed: where a new stream reuses the
     * index of a closed one, its operations must count on from the closed stream's last.
     *
     * @param i a timeline index
     * @param time the latest operation of the index's earlier owner
     */
    void startAt(int i, long time) {
        ensure(i);
        if (time > times[i]) {
            times[i] = time;
            version++;
        }
    }

    /** @return how many entries the clock holds (for tests of its bound) */
    int capacity() {
        return times.length;
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
        int n = o.length;
        while (n > 0 && o[n - 1] == 0) {
            n--;
        }
        ensure(n - 1);
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            if (o[i] > times[i]) {
                times[i] = o[i];
                changed = true;
            }
        }
        if (changed) {
            version++;
        }
    }

    /**
     * @param other another clock
     * @return true if every entry of {@code other} is at most this clock's
     */
    public boolean covers(VectorClock other) {
        long[] o = other.times;
        for (int i = 0; i < o.length; i++) {
            if (o[i] > get(i)) {
                return false;
            }
        }
        return true;
    }

    /** @return a counter that changes whenever this clock does */
    public long version() {
        return version;
    }

    /** @return an independent copy */
    public VectorClock copy() {
        return new VectorClock(times.clone());
    }

    /**
     * Makes this clock equal to {@code other}, reusing its own storage: an event re-recorded in a
     * loop allocates nothing once its clock is as long as the stream's.
     *
     * @param other the clock to take the entries of
     */
    public void setTo(VectorClock other) {
        long[] o = other.times;
        if (times.length < o.length) {
            times = new long[o.length];
        }
        System.arraycopy(o, 0, times, 0, o.length);
        Arrays.fill(times, o.length, times.length, 0);
        version++;
    }

    /**
     * Grows to hold index i, and no further: growing by doubling made two clocks that join each
     * other leapfrog (9, 16, 18, 32, 36, ...) until the heap ran out. Indexes are reused once
     * their stream closes, so i stays below the number of streams open at once.
     */
    private void ensure(int i) {
        if (i >= times.length) {
            times = Arrays.copyOf(times, i + 1);
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(times);
    }
}
