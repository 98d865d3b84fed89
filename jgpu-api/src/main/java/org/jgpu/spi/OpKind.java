package org.jgpu.spi;

import org.jgpu.trace.Engine;

/**
 * What kind of operation a stream runs, and the engine it occupies; messages and timelines use
 * its {@link #label() label}.
 */
public enum OpKind {
    /** A copy from host memory to device memory. */
    COPY_H2D("copy H2D", Engine.COPY_H2D),
    /** A copy from device memory to host memory. */
    COPY_D2H("copy D2H", Engine.COPY_D2H),
    /** A copy within device memory. */
    COPY_D2D("copy D2D", Engine.COMPUTE),
    /**
     * A copy between the memories of two devices ({@link NativeStream#copyPeer}), direct or
     * through host memory as {@link DeviceBackend#peerRoute} says.
     */
    COPY_PEER("copy peer", Engine.COPY_PEER),
    /** A copy between two pinned host buffers (a copy engine moves it, as on a GPU). */
    COPY_H2H("copy H2H", Engine.COPY_H2D),
    /** A synchronous copy from a device buffer to a Java array. */
    COPY_D2HEAP("copy D2heap", null),
    /** A synchronous copy from a pinned host buffer to a Java array. */
    COPY_H2HEAP("copy H2heap", null),
    /** A synchronous copy from a Java array to a device buffer. */
    COPY_HEAP2D("copy heap2D", null),
    /** A synchronous copy from a Java array to a pinned host buffer. */
    COPY_HEAP2H("copy heap2H", null),
    /** Setting memory to a repeated pattern. */
    FILL("fill", Engine.COMPUTE),
    /** A kernel launch. */
    LAUNCH("launch", Engine.COMPUTE),
    /** A stream-ordered allocation. */
    ALLOC_ASYNC("allocAsync", null);

    private final String label;
    private final Engine engine;

    OpKind(String label, Engine engine) {
        this.label = label;
        this.engine = engine;
    }

    /** @return the name used in messages, e.g. {@code copy H2D} */
    public String label() {
        return label;
    }

    /**
     * @return the engine the operation occupies, or null when it occupies none that a timeline
     *         shows (synchronous copies timed by the caller's thread, bookkeeping); a graph's
     *         replay is a {@link #LAUNCH}, and work a library enqueues through {@link Extensions}
     *         states its own engine
     */
    public Engine engine() {
        return engine;
    }

    @Override
    public String toString() {
        return label;
    }
}
