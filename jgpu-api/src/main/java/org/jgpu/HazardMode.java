package org.jgpu;

/**
 * What a context does about an operation that races with another one on the same buffer.
 *
 * <p>The check is host bookkeeping only (vector clocks per stream and for the host); it makes
 * no device calls. See {@code docs/architecture.md}, "Hazard model".
 */
public enum HazardMode {
    /** Throw {@link HazardException} before enqueuing the racing operation (the default). */
    CHECK,
    /** Insert the missing wait (an event wait between streams, a synchronize for the host). */
    AUTO,
    /** Do nothing: the caller orders operations. Buffers still wait for their work on close. */
    OFF
}
