package org.jgpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A context's open streams by the index of their hazard timeline. */
final class LiveStreams {
    private final Map<Integer, StreamState> byIndex = new ConcurrentHashMap<>();

    void add(StreamState s) {
        byIndex.put(s.clock().index(), s);
    }

    void remove(StreamState s) {
        byIndex.remove(s.clock().index(), s);
    }

    /** @return the open stream at a timeline index, or null if none is open there */
    StreamState get(int index) {
        return byIndex.get(index);
    }

    /** @return true while the stream is registered (not yet dropped) */
    boolean isLive(StreamState s) {
        return byIndex.get(s.clock().index()) == s;
    }

    /** @return a copy of the open streams */
    /** @return the open streams, a live view (for a walk under the context's lock that allocates no list) */
    Iterable<StreamState> all() {
        return byIndex.values();
    }

    List<StreamState> open() {
        return new ArrayList<>(byIndex.values());
    }
}
