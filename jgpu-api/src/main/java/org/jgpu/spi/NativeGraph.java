package org.jgpu.spi;

/** A backend's captured, replayable work. */
public interface NativeGraph {

    /**
     * Enqueues the work on a stream.
     *
     * @param stream where it runs
     */
    void launch(NativeStream stream);

    /** Releases it. */
    void destroy();
}
