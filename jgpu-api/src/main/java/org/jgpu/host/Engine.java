package org.jgpu.host;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One engine of the simulated device (compute, or a copy direction) with a number of slots.
 * Work reserves the earliest free slot in simulated time, first come, first served.
 */
final class Engine {
    private final String name;
    private final long[] slotFreeAt;
    private final AtomicLong busyNanos = new AtomicLong();

    Engine(String name, int slots) {
        this.name = name;
        this.slotFreeAt = new long[slots];
    }

    /**
     * Reserves a slot for {@code duration} starting no earlier than {@code earliest}.
     *
     * @return the modelled start time
     */
    synchronized long reserve(long earliest, long duration) {
        int best = 0;
        for (int i = 1; i < slotFreeAt.length; i++) {
            if (slotFreeAt[i] < slotFreeAt[best]) {
                best = i;
            }
        }
        long start = Math.max(earliest, slotFreeAt[best]);
        slotFreeAt[best] = start + duration;
        busyNanos.addAndGet(duration);
        return start;
    }

    /**
     * Reserves a slot with no known end, for work that paces itself; {@link #release} ends it.
     *
     * @return {@code {slot, modelled start}}
     */
    synchronized long[] reserveOpen(long earliest) {
        int best = 0;
        for (int i = 1; i < slotFreeAt.length; i++) {
            if (slotFreeAt[i] < slotFreeAt[best]) {
                best = i;
            }
        }
        long start = Math.max(earliest, slotFreeAt[best]);
        slotFreeAt[best] = Long.MAX_VALUE;
        return new long[] {best, start};
    }

    /** Ends an open reservation at {@code end}. */
    synchronized void release(int slot, long start, long end) {
        slotFreeAt[slot] = end;
        busyNanos.addAndGet(end - start);
    }

    /** @return total modelled busy time so far, all slots together */
    long busyNanos() {
        return busyNanos.get();
    }

    @Override
    public String toString() {
        return "engine '" + name + "'";
    }
}
