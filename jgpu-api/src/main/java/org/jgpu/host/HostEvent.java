package org.jgpu.host;

import org.jgpu.spi.NativeEvent;

/** An event of the host backend: each record is a new generation; waits see the latest one. */
final class HostEvent implements NativeEvent {
    private volatile Generation current;

    /** One record of the event: completes with the modelled time the stream reached it. */
    static final class Generation {
        private boolean done;
        private long modelTime;

        synchronized void complete(long time) {
            modelTime = time;
            done = true;
            notifyAll();
        }

        synchronized boolean isDone() {
            return done;
        }

        synchronized long await() {
            boolean interrupted = false;
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return modelTime;
        }
    }

    Generation newGeneration() {
        Generation g = new Generation();
        current = g;
        return g;
    }

    Generation current() {
        return current;
    }

    @Override
    public boolean query() {
        Generation g = current;
        return g == null || g.isDone();
    }

    @Override
    public void synchronize() {
        Generation g = current;
        if (g != null) {
            g.await();
        }
    }

    @Override
    public long elapsedNanos(NativeEvent start) {
        return current.await() - ((HostEvent) start).current.await();
    }

    @Override
    public void destroy() {
        // nothing native to release: a stream still waiting on a generation keeps it alive
    }
}
