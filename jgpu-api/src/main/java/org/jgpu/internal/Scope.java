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
            throw new IllegalArgumentException(role + " " + cb.describe() + " belongs to " + cb.scope().name() + ", not " + name
                    + (cb.isHost() || sameGroup(cb.scope()) ? ""
                            : "; only device buffers of contexts opened together in one DeviceGroup are copied between devices"));
        }
        return cb;
    }

    /**
     * A buffer of this context, or a device buffer of another context of its device group, which
     * a copy may reach across devices.
     *
     * @throws IllegalArgumentException naming the role if the buffer is neither
     */
    CoreBuffer ownOrPeer(Buffer b, String role) {
        Checks.notNull(b, role);
        if (b instanceof CoreBuffer cb && cb.scope() != this && !cb.isHost() && sameGroup(cb.scope())) {
            return cb;
        }
        return own(b, role);
    }

    /**
     * An event of this context, or of another context of its device group, which a stream may
     * wait for across devices.
     *
     * @throws IllegalArgumentException naming the role if the event is neither
     */
    EventRecords ownOrPeer(Event e, String role) {
        Checks.notNull(e, role);
        if (e instanceof EventRecords r && r.owner() != this && sameGroup(r.owner())) {
            return r;
        }
        return own(e, role);
    }

    /**
     * A stream of this context, or of another context of its device group.
     *
     * @throws IllegalArgumentException naming the role if the stream is neither
     */
    CoreStream ownOrPeer(Stream s, String role) {
        Checks.notNull(s, role);
        if (s instanceof CoreStream cs && cs.scope() != this && sameGroup(cs.scope())) {
            return cs;
        }
        return own(s, role);
    }

    /** @return true if the other context shares this one's hazard domain (one device group) */
    boolean sameGroup(Scope other) {
        return other.sequencer().domain() == sequencer.domain();
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
                    + (e instanceof EventRecords other ? other.owner().name() + (sameGroup(other.owner()) ? ""
                            : "; streams wait for events of another device only in one DeviceGroup") : "no jgpu context")
                    + ", not " + name);
        }
        return r;
    }
}
