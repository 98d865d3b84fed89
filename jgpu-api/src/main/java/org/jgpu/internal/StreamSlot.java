package org.jgpu.internal;

import org.jgpu.internal.hazard.Timeline;
import org.jgpu.spi.NativeStream;

/**
 * What a context keeps of each open stream without keeping the stream object alive (so an
 * unreachable stream is still reported as a leak).
 */
final class StreamSlot {
    private final Timeline timeline;
    private final NativeStream nat;
    private final Gate gate = new Gate();
    private final CallbackQueue callbacks;
    /** Guarded by the context's lock. */
    private boolean capturing;

    StreamSlot(Timeline timeline, NativeStream nat, CallbackQueue callbacks) {
        this.timeline = timeline;
        this.nat = nat;
        this.callbacks = callbacks;
    }

    /** @return the stream's open/closed state and the calls in flight on it */
    Gate gate() {
        return gate;
    }

    /** @return where the stream's host callbacks run, one at a time in the stream's order */
    CallbackQueue callbacks() {
        return callbacks;
    }

    /** @return the stream's hazard timeline */
    Timeline timeline() {
        return timeline;
    }

    /** @return the backend's stream */
    NativeStream nat() {
        return nat;
    }

    /** @return true while the stream captures a graph (call under the context's lock) */
    boolean capturing() {
        return capturing;
    }

    void capturing(boolean value) {
        capturing = value;
    }
}
