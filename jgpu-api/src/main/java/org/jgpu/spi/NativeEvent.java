package org.jgpu.spi;

/** A backend's event. */
public interface NativeEvent {

    /** @return true if the latest record has completed */
    boolean query();

    /** Blocks until the latest record has completed. */
    void synchronize();

    /**
     * @param start an earlier, completed timing event
     * @return nanoseconds from start to this event
     */
    long elapsedNanos(NativeEvent start);

    /** Releases the event. */
    void destroy();
}
