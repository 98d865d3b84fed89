package org.jgpu.examples.jmh;

import java.nio.ByteBuffer;
import org.jgpu.LaunchConfig;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpTag;

/**
 * A stream of the null backend: every operation only counts itself, so that benchmarks can
 * check how many backend calls an API call makes; launches and records also spin for the
 * modelled launch cost.
 */
final class NullStream implements NativeStream {
    private final long launchNanos;
    /**
     * Operations so far. A plain field: the count is read only where one thread used the
     * stream, and an atomic would add a cost that no real backend's enqueue has.
     */
    private long calls;

    NullStream(long launchNanos) {
        this.launchNanos = launchNanos;
    }

    /** @return the operations called on this stream so far (its accessors not counted) */
    long calls() {
        return calls;
    }

    /**
     * Keeps the calling thread busy for {@code nanos}, as a driver call would (a sleep would
     * give the core back to other threads, which a driver call does not).
     */
    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            // busy: the modelled driver call
        }
    }

    /** A captured graph: replaying it is one operation. */
    private static final class Graph implements NativeGraph {
        @Override
        public void launch(NativeStream stream) {
            ((NullStream) stream).calls++;
        }

        @Override
        public void destroy() {
            // nothing native
        }
    }

    @Override
    public void copy(NativeMemory src, long srcOffset, NativeMemory dst, long dstOffset, long bytes, OpTag tag) {
        calls++;
    }

    @Override
    public void copyHeap(ByteBuffer heap, NativeMemory memory, long offset, boolean toMemory, OpTag tag) {
        calls++;
    }

    @Override
    public void fill(NativeMemory dst, long offset, long bytes, int pattern, int patternBytes, OpTag tag) {
        calls++;
    }

    @Override
    public void launch(NativeFunction function, LaunchConfig config, Object[] args, OpTag tag) {
        calls++;
        if (launchNanos > 0) {
            spin(launchNanos);
        }
    }

    @Override
    public void record(NativeEvent event) {
        calls++;
        if (launchNanos > 0) {
            spin(launchNanos);
        }
    }

    @Override
    public void waitEvent(NativeEvent event) {
        calls++;
    }

    /** Runs the action at once: the stream's earlier work, being nothing, is done. */
    @Override
    public void hostCallback(Runnable action) {
        calls++;
        action.run();
    }

    @Override
    public boolean query() {
        calls++;
        return true;
    }

    @Override
    public void synchronize() {
        calls++;
    }

    /** @return null: work that does nothing cannot fail */
    @Override
    public RuntimeException peekError() {
        return null;
    }

    @Override
    public void beginCapture() {
        calls++;
    }

    @Override
    public NativeGraph endCapture() {
        calls++;
        return new Graph();
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public void destroy() {
        calls++;
    }
}
