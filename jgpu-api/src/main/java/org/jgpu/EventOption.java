package org.jgpu;

/** Options of an {@link Event}; none are set by default. */
public enum EventOption {
    /** Record timestamps so {@link Event#elapsedSince(Event)} works. Costs extra device work. */
    TIMING,
    /** Block the waiting thread in {@link Event#synchronize()} instead of spinning. */
    BLOCKING_SYNC
}
