package org.jgpu.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.jgpu.EventOption;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeEvent;

/**
 * The native events behind {@link org.jgpu.Stream#record()}, AUTO's waits and stream-ordered
 * frees: kept for reuse instead of made and destroyed per record (on CUDA a
 * {@code cuEventCreate} and a {@code cuEventDestroy} each time).
 *
 * <p>A native event is reused only once its latest record has completed and the host has
 * learnt so: an {@link RecordedEvent} whose native event has moved on to a later record then
 * reports complete, and waiting for it orders nothing the host's own clock does not already
 * order. Each stream keeps its events in the order they were recorded, which is the order they
 * complete, so the oldest is the only one worth asking; a closed stream's events go to an idle
 * list that every stream draws from.
 *
 * <p>Guarded by the context's lock ({@link Sequencer}).
 */
final class EventPool {
    /** One native event and its latest record. */
    static final class Entry {
        final NativeEvent nativeEvent;
        /** The recording stream's clock at the latest record; its storage is reused. */
        final VectorClock clock = new VectorClock();
        /** The context-wide number of the latest record: an event made at another has moved on. */
        long record;
        /** Queries and waits in progress on the latest record: it is not reused meanwhile. */
        int users;

        Entry(NativeEvent nativeEvent) {
            this.nativeEvent = nativeEvent;
        }
    }

    private final DeviceBackend backend;
    private final VectorClock host;
    /** Events of closed streams, oldest record first. */
    private final ArrayDeque<Entry> idle = new ArrayDeque<>();
    /** Every event made, to destroy at the context's close. */
    private final List<Entry> all = new ArrayList<>();
    private long records;

    /**
     * @param backend makes the native events
     * @param host the host's clock: what the host has seen complete
     */
    EventPool(DeviceBackend backend, VectorClock host) {
        this.backend = backend;
        this.host = host;
    }

    /**
     * Records an event at the current end of a stream: the stream's oldest event if it is done,
     * else an idle one that is, else a new one.
     *
     * @param s the stream; its clock is up to date ({@code beforeEnqueue})
     * @return the entry, now holding this record
     */
    Entry record(StreamState s) {
        ArrayDeque<Entry> mine = s.recordedEvents();
        Entry e = mine.peekFirst();
        if (e != null && isDone(e)) {
            mine.pollFirst();
        } else {
            e = idle.peekFirst();
            if (e != null && isDone(e)) {
                idle.pollFirst();
            } else {
                e = new Entry(backend.createEvent(EnumSet.noneOf(EventOption.class)));
                all.add(e);
            }
        }
        s.nativeStream().record(e.nativeEvent);
        VectorClock v = s.clock().vector();
        e.clock.setTo(v);
        e.record = ++records;
        mine.addLast(e);
        return e;
    }

    /**
     * Whether an entry's latest record is done and no one is asking about it; the host then
     * learns its clock (so a later wait for that record has nothing left to order).
     */
    private boolean isDone(Entry e) {
        if (e.users > 0) {
            return false;
        }
        // the host knowing the stream's own time is not enough: a wait enqueued after the
        // stream's last operation (no tick of its own) is part of the record too
        if (host.covers(e.clock)) {
            return true;
        }
        if (e.nativeEvent.query()) {
            host.join(e.clock);
            return true;
        }
        return false;
    }

    /** A stream is gone: its events serve the other streams once their records are done. */
    void retire(StreamState s) {
        idle.addAll(s.recordedEvents());
        s.recordedEvents().clear();
    }

    /**
     * Destroys every native event, for the context's close (its streams are done).
     *
     * @return the first failure, or null
     */
    RuntimeException destroyAll() {
        RuntimeException failure = null;
        for (Entry e : all) {
            try {
                e.nativeEvent.destroy();
            } catch (RuntimeException x) {
                failure = Registry.chain(failure, x);
            }
        }
        all.clear();
        idle.clear();
        return failure;
    }

    /** @return how many native events were made (for tests of reuse) */
    int made() {
        return all.size();
    }
}
