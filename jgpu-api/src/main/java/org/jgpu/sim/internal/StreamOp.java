package org.jgpu.sim.internal;

/**
 * An operation in a host stream's queue, and the kinds that hold no engine: a host callback,
 * an event record and an event wait.
 *
 * <p>Kept apart from {@link SimStream} so that the stream holds only its queue, its worker and
 * what observers wait on; an operation learns the stream it runs on from {@link #run}.
 */
abstract class StreamOp {
    long seq;
    SimStream[] depStreams;
    long[] depSeqs;
    final long enqueuedAt = System.nanoTime();

    /**
     * Runs the operation on the stream's worker.
     *
     * @param stream the stream whose worker runs it
     * @param ready the modelled time it may start: its stream's previous operation and what it
     *     depends on have ended
     * @return its modelled end
     */
    abstract long run(SimStream stream, long ready);

    /**
     * Makes the operation's effect observable, under the stream's lock together with the
     * done count, so that no observer sees one without the other.
     */
    void published(long end) {
    }

    /** A host callback. */
    static final class Step extends StreamOp {
        private final Runnable step;

        Step(Runnable step) {
            this.step = step;
        }

        @Override
        long run(SimStream stream, long ready) {
            stream.sleepUntilOrLost(ready);   // a host callback observes the stream: not before its time
            long start = System.nanoTime();
            step.run();
            // the stream's later work waits for the callback, as on CUDA: for as long as it really took
            return SimEngine.later(ready, System.nanoTime() - start);
        }
    }

    /** An event record: the event's generation completes when the stream reaches it. */
    static final class Record extends StreamOp {
        private final SimEvent.Generation generation;

        Record(SimEvent.Generation generation) {
            this.generation = generation;
        }

        @Override
        long run(SimStream stream, long ready) {
            return ready;
        }

        @Override
        void published(long end) {
            generation.complete(end);
        }
    }

    /** An event wait: later work on the stream starts no earlier than the recording stream reached the event. */
    static final class Wait extends StreamOp {
        private final SimEvent.Generation generation;

        Wait(SimEvent.Generation generation) {
            this.generation = generation;
        }

        @Override
        long run(SimStream stream, long ready) {
            return Math.max(ready, generation.await());
        }
    }
}
