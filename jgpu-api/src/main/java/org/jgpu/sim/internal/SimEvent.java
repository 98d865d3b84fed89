package org.jgpu.sim.internal;

import org.jgpu.spi.NativeEvent;

/** An event of the host backend: each record is a new generation; waits see the latest one. */
final class SimEvent implements NativeEvent {
    private final SimDevice device;
    private volatile Generation current;

    /** @param device whose loss every later query reports, as CUDA's event calls return the sticky error */
    SimEvent(SimDevice device) {
        this.device = device;
    }

    /** One record of the event: completes with the simulated time the stream reached it. */
    static final class Generation {
        private final SimStream stream;
        private volatile boolean done;
        private volatile long modelTime;

        Generation(SimStream stream) {
            this.stream = stream;
        }

        synchronized void complete(long time) {
            modelTime = time;
            done = true;
            notifyAll();
        }

        /** @return true once the stream reached the record and its simulated time has come */
        boolean isDone() {
            return done && System.nanoTime() >= modelTime;
        }

        long await() {
            // the stream's monitor: completion is published, and announced ahead, under it
            Waiter.await(stream.monitor(), () -> done, stream);
            synchronized (this) {
                return modelTime;
            }
        }
    }

    Generation newGeneration(SimStream stream) {
        Generation g = new Generation(stream);
        current = g;
        return g;
    }

    Generation current() {
        return current;
    }

    @Override
    public boolean query() {
        if (device.lostBy() != null) {
            // as cuEventQuery returns the sticky error: a lost device's work never finished
            throw device.lostError("event query");
        }
        Generation g = current;
        return g == null || g.isDone();
    }

    @Override
    public void synchronize() {
        Generation g = current;
        if (g != null) {
            g.stream.sleepUntilOrLost(g.await());   // a lost device reports at once
        }
    }

    @Override
    public long elapsedNanos(NativeEvent start) {
        return current.await() - ((SimEvent) start).current.await();
    }

    @Override
    public void destroy() {
        // nothing native to release: a stream still waiting on a generation keeps it alive
    }
}
