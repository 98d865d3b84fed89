package org.jgpu.examples.bench;

/**
 * What the benchmarks time, once per implementation: jgpu over any backend, and raw JCuda as
 * the baseline. Every operation works on the target's one stream unless it says otherwise, so
 * that the same measuring loop ({@link Suite}) runs against each.
 */
interface Target extends AutoCloseable {
    /** @return the column name: {@code jgpu}, {@code jcuda} */
    String name();

    /** Enqueues the empty kernel. */
    void launchNoop();

    /** Enqueues {@code scale} on a one-element device buffer: a launch with a buffer argument. */
    void launchScale();

    /** Records an event made without timing. */
    void recordEvent();

    /** Records an event made with timing. */
    void recordTimingEvent();

    /** @return whether the last recorded event has completed */
    boolean queryEvent();

    /** @return whether the stream is idle */
    boolean queryStream();

    /** Waits for the stream. */
    void synchronize();

    /** Enqueues a host callback and returns once it ran. */
    void callbackRoundTrip();

    /** Allocates {@code bytes} in stream order and frees them again in stream order. */
    void allocFreeAsync(long bytes);

    /**
     * Makes the copy buffers: pinned host, device, heap, each {@code bytes} large.
     *
     * @param bytes the largest copy that will be timed
     */
    void prepareCopies(long bytes);

    /**
     * Times one copy of {@code bytes} with events (pinned) or the wall clock (heap copies are
     * synchronous).
     *
     * @return nanoseconds
     */
    long copyNanos(Copy kind, long bytes);

    /** Makes a graph of {@code kernels} empty-kernel launches. */
    void prepareGraph(int kernels);

    /** Enqueues the graph made by {@link #prepareGraph}. */
    void launchGraph();

    /** Releases everything, waiting for pending work. */
    @Override
    void close();

    /** The copies timed. */
    enum Copy {
        /** Pinned host to device. */
        H2D_PINNED("h2d.pinned"),
        /** Device to pinned host. */
        D2H_PINNED("d2h.pinned"),
        /** Both directions at once on two streams; bytes each way. */
        BIDIR_PINNED("bidir.pinned"),
        /** A Java heap array to device. */
        H2D_HEAP("h2d.heap"),
        /** Device to a Java heap array. */
        D2H_HEAP("d2h.heap");

        final String label;

        Copy(String label) {
            this.label = label;
        }
    }
}
