package org.jgpu.internal;

import org.jgpu.internal.hazard.Touch;
import org.jgpu.internal.hazard.Touches;
import org.jgpu.spi.NativeStream;
import org.jgpu.trace.Engine;

/**
 * One operation on its way to a stream: what it reads and writes, the backend call that
 * enqueues it, and its name. The {@link Sequencer} checks and records its touches and then
 * issues it, once.
 *
 * <p>The hot operations ({@link TaggedOp}: copies, fills, launches) are one object each, which
 * is also the tag the backend keeps; the others wrap an action with {@link #of}.
 */
abstract class Op implements Touches {
    /**
     * @return names the operation in hazard messages and timelines by its {@code toString()},
     *         e.g. {@code launch saxpy}: an object made once per kind or kernel, never per call
     */
    abstract Object name();

    /** @return the engine it occupies, for timelines; null for none */
    abstract Engine engine();

    /**
     * @return true if the backend call must be made under the context's lock (a library's work,
     *         whose contract says so; a graph's launch; a synchronous copy's start); false if it
     *         may be made after the lock is released, in the stream's order
     */
    boolean issuedUnderLock() {
        return true;
    }

    /**
     * @return for a copy between devices, the sequencer of the other context whose buffer it
     *         touches (checked open, under the lock its close marks, and told of the stream so
     *         that its close waits for the copy); null for everything else
     */
    Sequencer peer() {
        return null;
    }

    /**
     * Makes the backend call that enqueues the operation.
     *
     * @param stream the stream's backend stream
     */
    abstract void issue(NativeStream stream);

    /**
     * An operation that is an action: for the rarer operations (a graph's launch, a library's
     * work, a stream-ordered allocation, a heap copy's start).
     *
     * @param name names it in hazard messages and timelines
     * @param engine the engine it occupies, or null
     * @param action the backend call
     * @param touches what it reads and writes, not copied
     * @return the operation
     */
    static Op of(Object name, Engine engine, Runnable action, Touch... touches) {
        return new Op() {
            @Override
            Object name() {
                return name;
            }

            @Override
            Engine engine() {
                return engine;
            }

            @Override
            void issue(NativeStream stream) {
                action.run();
            }

            @Override
            public int touchCount() {
                return touches.length;
            }

            @Override
            public Touch touch(int i) {
                return touches[i];
            }
        };
    }
}
