package org.jgpu.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.HazardMode;
import org.jgpu.PeerRoute;
import org.jgpu.internal.hazard.HazardTracker;

/**
 * What the contexts that may order each other's work share: one lock, one hazard tracker (so a
 * vector clock holds every stream of every member, and an event of one member can order a
 * stream of another), and the open streams of every member by timeline index. A context made on
 * its own has a domain of its own; the contexts of a {@link org.jgpu.DeviceGroup} share one.
 *
 * <p>The {@link Sequencer}s of the members are the only users of the lock.
 */
final class HazardDomain {
    /** The lock of every member's {@link Sequencer}. */
    final Object lock = new Object();
    final HazardTracker tracker;
    private final HazardMode mode;
    /** Every member's open streams by the index of their timeline (indexes are domain-wide). */
    private final Map<Integer, StreamState> byIndex = new ConcurrentHashMap<>();
    private final AtomicInteger members = new AtomicInteger();
    private final AtomicInteger streamIds = new AtomicInteger();
    /** How copies travel between members, by member number; null for a domain of one context. */
    private volatile PeerRoute[][] routes;

    /** @param mode what a race means in every member */
    HazardDomain(HazardMode mode) {
        this.mode = mode;
        this.tracker = new HazardTracker(mode);
    }

    /** @return the hazard mode every member has */
    HazardMode mode() {
        return mode;
    }

    /** @return the number of the next stream a member names itself (one count for the domain) */
    int nextStreamId() {
        return streamIds.incrementAndGet();
    }

    /** @return a new member's number, which its streams' timelines carry (for the legacy default stream's rules) */
    int join() {
        return members.getAndIncrement();
    }

    /**
     * Sets how copies travel between the members, once all have joined.
     *
     * @param routes by member number: {@code routes[from][to]}
     */
    void routes(PeerRoute[][] routes) {
        this.routes = routes;
    }

    /**
     * @param from the member whose memory a copy reads
     * @param to the member whose memory it writes
     * @return how the copy travels, or null if the domain has no routes (one context)
     */
    PeerRoute route(int from, int to) {
        PeerRoute[][] r = routes;
        return r == null ? null : r[from][to];
    }

    void add(StreamState s) {
        byIndex.put(s.clock().index(), s);
    }

    void remove(StreamState s) {
        byIndex.remove(s.clock().index(), s);
    }

    /** @return the open stream of any member at a timeline index, or null */
    StreamState get(int index) {
        return byIndex.get(index);
    }

    /** @return true while the stream is registered (not yet dropped) */
    boolean isLive(StreamState s) {
        return byIndex.get(s.clock().index()) == s;
    }

    /** @return every member's open streams, a live view (for a walk under the lock that allocates no list) */
    Iterable<StreamState> all() {
        return byIndex.values();
    }
}
