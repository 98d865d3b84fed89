package org.jgpu.internal;

import org.jgpu.PeerRoute;
import org.jgpu.spi.OpKind;

/** Checks a copy that reaches another context of the stream's device group, and says what it is. */
final class PeerCopies {
    private PeerCopies() {
    }

    /**
     * @param stream the scope of the stream the copy is enqueued on
     * @param src the source, of the stream's context or another of its group
     * @param dst the destination, likewise; not of the same context as src
     * @return {@link OpKind#COPY_D2D} if both contexts run on one device, else
     *         {@link OpKind#COPY_PEER}
     * @throws IllegalArgumentException if neither buffer is of the stream's context, or one is a
     *         host buffer (pinned memory serves the copies of its own device)
     */
    static OpKind kind(Scope stream, CoreBuffer src, CoreBuffer dst) {
        if (src.scope() != stream && dst.scope() != stream) {
            throw new IllegalArgumentException("copy: neither src " + src.describe() + " (" + src.scope().name()
                    + ") nor dst " + dst.describe() + " (" + dst.scope().name() + ") belongs to " + stream.name()
                    + ", the stream's context; enqueue a copy between two devices on a stream of one of them");
        }
        if (src.isHost() || dst.isHost()) {
            CoreBuffer host = src.isHost() ? src : dst;
            CoreBuffer device = src.isHost() ? dst : src;
            throw new IllegalArgumentException("copy: " + host.describe() + " is pinned for " + host.scope().name()
                    + " but " + device.describe() + " belongs to " + device.scope().name()
                    + "; copy between host and device on a stream of the device buffer's context, with a host buffer of it");
        }
        PeerRoute route = stream.sequencer().domain().route(src.scope().sequencer().member(),
                dst.scope().sequencer().member());
        return route == PeerRoute.SAME_DEVICE ? OpKind.COPY_D2D : OpKind.COPY_PEER;
    }
}
