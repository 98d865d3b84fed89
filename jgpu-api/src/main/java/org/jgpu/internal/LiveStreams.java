package org.jgpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A context's open streams, registered in its {@link HazardDomain} too, where timeline indexes
 * find the streams of every context of the domain.
 */
final class LiveStreams {
    private final HazardDomain domain;
    private final Map<Integer, StreamState> own = new ConcurrentHashMap<>();

    /** @param domain the domain the context belongs to */
    LiveStreams(HazardDomain domain) {
        this.domain = domain;
    }

    void add(StreamState s) {
        own.put(s.clock().index(), s);
        domain.add(s);
    }

    void remove(StreamState s) {
        own.remove(s.clock().index(), s);
        domain.remove(s);
    }

    /** @return the open stream at a timeline index, of this context or another of its domain, or null */
    StreamState get(int index) {
        return domain.get(index);
    }

    /** @return true while the stream is registered (not yet dropped) */
    boolean isLive(StreamState s) {
        return domain.isLive(s);
    }

    /**
     * @return the open streams of every context of the domain, a live view (for a walk under the
     *         lock that allocates no list)
     */
    Iterable<StreamState> all() {
        return domain.all();
    }

    /** @return a copy of this context's open streams */
    List<StreamState> open() {
        return new ArrayList<>(own.values());
    }
}
