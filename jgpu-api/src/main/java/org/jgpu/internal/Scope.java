package org.jgpu.internal;

import org.jgpu.Buffer;
import org.jgpu.Context;
import org.jgpu.Event;
import org.jgpu.Stream;
import org.jgpu.spi.DeviceBackend;

/**
 * What one context's resources share: its name and backend, and the parts of the context they
 * work with. Resources get this, never the context object, so that the arrows inside the core
 * point one way: from resources down to these parts.
 *
 * @param name the context's name, for messages
 * @param context the context, only for {@code context()} of its resources
 * @param backend the context's backend
 * @param sequencer the lock, the open/closed state and the enqueue path
 * @param registry the resources to close with the context, and the open streams
 * @param completions callback futures and stored errors
 * @param diagnostics caller frames and the timeline
 * @param transfers the pinned staging of uploads and downloads of Java arrays
 */
record Scope(String name, Context context, DeviceBackend backend, Sequencer sequencer, Registry registry,
        Completions completions, Diagnostics diagnostics, ArrayTransfers transfers) {

    /** @throws IllegalArgumentException naming the role if the buffer is not one of this context's */
    CoreBuffer own(Buffer b, String role) {
        Checks.notNull(b, role);
        if (!(b instanceof CoreBuffer cb)) {
            throw new IllegalArgumentException(role + " is a " + b.getClass().getName() + ", not a buffer allocated by jgpu");
        }
        if (cb.scope() != this) {
            throw new IllegalArgumentException(role + " " + cb.describe() + " belongs to " + cb.scope().name() + ", not " + name);
        }
        return cb;
    }

    /** @throws IllegalArgumentException naming the role if the stream is not one of this context's */
    CoreStream own(Stream s, String role) {
        Checks.notNull(s, role);
        if (!(s instanceof CoreStream cs) || cs.scope() != this) {
            throw new IllegalArgumentException(role + " '" + s.name() + "' belongs to "
                    + (s instanceof CoreStream other ? other.scope().name() : "no jgpu context") + ", not " + name);
        }
        return cs;
    }

    /** @throws IllegalArgumentException naming the role if the event is not one of this context's */
    EventRecords own(Event e, String role) {
        Checks.notNull(e, role);
        if (!(e instanceof EventRecords r) || r.owner() != this) {
            throw new IllegalArgumentException(role + " '" + e.name() + "' belongs to "
                    + (e instanceof EventRecords other ? other.owner().name() : "no jgpu context") + ", not " + name);
        }
        return r;
    }
}
