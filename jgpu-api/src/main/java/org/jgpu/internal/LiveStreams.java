package org.jgpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A context's open streams by the index of their hazard timeline. */
final class LiveStreams {
    private final Map<Integer, StreamSlot> byIndex = new ConcurrentHashMap<>();

    void add(StreamSlot s) {
        byIndex.put(s.timeline().index(), s);
    }

    void remove(StreamSlot s) {
        byIndex.remove(s.timeline().index(), s);
    }

    /** @return the open stream at a timeline index, or null if none is open there */
    StreamSlot get(int index) {
        return byIndex.get(index);
    }

    /** @return true while the stream is registered (not yet dropped) */
    boolean isLive(StreamSlot s) {
        return byIndex.get(s.timeline().index()) == s;
    }

    /** @return a copy of the open streams */
    List<StreamSlot> open() {
        return new ArrayList<>(byIndex.values());
    }
}
