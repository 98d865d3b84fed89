package org.jgpu.sim.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jgpu.trace.Engine;

/**
 * One engine of the simulated device (compute, or a copy direction) with a number of lanes.
 *
 * <p>Work {@linkplain #hold holds} the earliest free lane in simulated time, first come, first
 * served, and {@linkplain #release releases} it at its end, which is known only once its Java
 * work has run: the longer of the modelled duration and the work's real time, or, for work that
 * paces itself (a self-timed kernel), whenever it returns. While every lane is held, the next
 * work waits for a release and starts at its end: with one lane a second kernel runs after the
 * first, with two beside it.
 */
public final class SimEngine {
    /**
     * The latest simulated time the model represents, about 146 years after the
     * {@link System#nanoTime()} origin: a longer modelled duration ends there, so that times
     * stay far from overflow wherever they are added to.
     */
    static final long HORIZON = 1L << 62;

    /**
     * A lane held by work until it ends.
     *
     * @param lane which lane
     * @param start the modelled start of the work
     */
    record Hold(int lane, long start) {
    }

    /** The device's engines this one models: one, or both copy directions of a single copy engine. */
    private final List<Engine> serves;
    /** When each lane is free, in simulated time; for a held lane, when its holder started. */
    private final long[] freeAt;
    /** Lanes held by work until it releases them. */
    private final boolean[] held;
    private final AtomicLong busyNanos = new AtomicLong();

    SimEngine(int lanes, Engine... serves) {
        this.serves = List.of(serves);
        this.freeAt = new long[lanes];
        this.held = new boolean[lanes];
    }

    /**
     * {@code time + nanos}, but no later than {@link #HORIZON}.
     *
     * @param time a simulated time or a duration
     * @param nanos a duration; below 0 counts as 0
     * @return the sum, at most {@code max(time, HORIZON)}
     */
    public static long later(long time, long nanos) {
        long sum = time + Math.max(0, nanos);
        // nanos >= 0, so a sum below time wrapped around
        return sum < time || sum > HORIZON ? Math.max(time, HORIZON) : sum;
    }

    /**
     * Holds a lane from no earlier than {@code earliest} until {@link #release}; waits while
     * work holds every lane.
     *
     * @return the lane and the modelled start
     */
    synchronized Hold hold(long earliest) {
        int lane = awaitUnheldLane();
        long start = Math.max(earliest, freeAt[lane]);
        held[lane] = true;
        freeAt[lane] = start;
        return new Hold(lane, start);
    }

    /**
     * Ends a hold at {@code end} (not before its start); work waiting for a lane may take it.
     *
     * @param hold what {@link #hold} returned
     * @param end the modelled end of the work
     */
    synchronized void release(Hold hold, long end) {
        long e = Math.max(hold.start(), end);
        held[hold.lane()] = false;
        freeAt[hold.lane()] = e;
        busyNanos.addAndGet(e - hold.start());
        notifyAll();
    }

    /**
     * The lane free soonest among those not held, once there is one. The caller is a stream's
     * worker: an interrupt does not end the wait, because the operation must still run in order.
     */
    private int awaitUnheldLane() {
        boolean interrupted = false;
        try {
            while (true) {
                int best = -1;
                for (int i = 0; i < freeAt.length; i++) {
                    if (!held[i] && (best < 0 || freeAt[i] < freeAt[best])) {
                        best = i;
                    }
                }
                if (best >= 0) {
                    return best;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return total modelled busy time so far, all lanes together */
    long busyNanos() {
        return busyNanos.get();
    }

    @Override
    public String toString() {
        return "engine '" + serves.stream().map(Engine::label).collect(Collectors.joining(" and ")) + "'";
    }
}
