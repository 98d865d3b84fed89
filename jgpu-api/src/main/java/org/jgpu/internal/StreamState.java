package org.jgpu.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jgpu.internal.hazard.StreamClock;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.internal.hazard.Touches;
import org.jgpu.spi.NativeStream;

/**
 * What a context keeps of each open stream without keeping the stream object alive (so an
 * unreachable stream is still reported as a leak).
 */
final class StreamState {
    private final StreamClock clock;
    private final NativeStream stream;
    private final String contextName;
    /** The owning context's parts: another context of its domain records events on it through them. */
    private final Scope scope;
    private final Gate gate = new Gate();
    private final CallbackQueue callbacks;
    /** What is being captured, or null; guarded by the context's lock. */
    private Capture capture;
    /** Pooled events recorded on this stream, oldest first; guarded by the context's lock. */
    private final ArrayDeque<EventPool.Entry> recordedEvents = new ArrayDeque<>();
    /**
     * Operations given a place in this stream's order, under the context's lock ({@link #place}),
     * and how many of them were handed to the backend since ({@link #issued}): an operation
     * checked and recorded under the lock is handed over after the lock is released, in the
     * order of its place.
     */
    private long placed;
    private volatile long issued;
    /** What libraries bound to this stream (one per type), closed before the stream is destroyed. */
    private final ConcurrentHashMap<Class<?>, AutoCloseable> attachments = new ConcurrentHashMap<>();

    /** The accesses and the number of operations captured so far. */
    static final class Capture {
        final List<Touch> touches = new ArrayList<>();
        int operations;

        void add(Touches t) {
            for (int i = 0, n = t.touchCount(); i < n; i++) {
                touches.add(t.touch(i));
            }
            operations++;
        }
    }

    StreamState(StreamClock clock, NativeStream stream, Scope scope, CallbackQueue callbacks) {
        this.clock = clock;
        this.stream = stream;
        this.scope = scope;
        this.contextName = scope.name();
        this.callbacks = callbacks;
    }

    /** @return the owning context's parts */
    Scope scope() {
        return scope;
    }

    /** @return the owning context's sequencer (whose event pool serves records on this stream) */
    Sequencer sequencer() {
        return scope.sequencer();
    }

    /**
     * Gives the operation just recorded its place in the stream's order (call under the
     * context's lock); end with {@link #issued}, whatever happens.
     *
     * @return its place
     */
    long place() {
        return ++placed;
    }

    /**
     * Waits until the operations placed before {@code place} were handed to the backend: two
     * threads enqueuing on one stream hand theirs over in the order the tracker saw.
     *
     * @param place from {@link #place}
     */
    void awaitTurn(long place) {
        awaitIssued(place - 1);
    }

    /**
     * Says the operation at {@code place} was handed to the backend (or failed to be): the next
     * may go.
     *
     * @param place from {@link #place}
     */
    void issued(long place) {
        issued = place;
    }

    /**
     * Waits until every operation placed so far was handed to the backend (call under the
     * context's lock, before a backend call on this stream made under it, or before learning
     * what the stream has done): the threads handing them over do not need the lock, so this
     * ends.
     */
    void awaitPlacedIssued() {
        awaitIssued(placed);
    }

    private void awaitIssued(long place) {
        // the wait is for another thread's backend call on this stream: a few microseconds
        for (int spins = 0; issued < place; spins++) {
            if (spins < 64) {
                Thread.onSpinWait();
            } else if (spins < 128) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** @return the stream's name */
    String name() {
        return clock.name();
    }

    /** @throws IllegalStateException naming the stream if it is closed */
    void ensureOpen() {
        if (gate.isClosed()) {
            throw new IllegalStateException("stream '" + name() + "' of " + contextName + " is closed");
        }
    }

    /** @return the stream's open/closed state and the calls in flight on it */
    Gate gate() {
        return gate;
    }

    /** @return where the stream's host callbacks run, one at a time in the stream's order */
    CallbackQueue callbacks() {
        return callbacks;
    }

    /** @return the stream's clock in the hazard tracker */
    StreamClock clock() {
        return clock;
    }

    /** @return the backend's stream */
    NativeStream nativeStream() {
        return stream;
    }

    /** @return the pooled events recorded on this stream, oldest first (call under the context's lock) */
    ArrayDeque<EventPool.Entry> recordedEvents() {
        return recordedEvents;
    }

    /**
     * Call under the context's lock.
     *
     * @param op the call, for the message
     * @throws IllegalStateException if the stream captures a graph, which {@code op} would break
     */
    void ensureNotCapturing(String op) {
        if (capture != null) {
            throw new IllegalStateException(op + " on stream '" + name() + "' while it captures a graph would break the"
                    + " capture; only copies, fills and launches can be captured: finish the capture first");
        }
    }

    /** @return the capture in progress, or null (call under the context's lock) */
    Capture capture() {
        return capture;
    }

    /** @param value the capture that begins, or null when it ends (call under the context's lock) */
    void capture(Capture value) {
        capture = value;
    }

    /**
     * @param type the attachment's type, its key
     * @param create makes it on first use, from the backend's stream
     * @return the one attachment of that type
     */
    <T extends AutoCloseable> T attachment(Class<T> type, Function<NativeStream, ? extends T> create) {
        return type.cast(attachments.computeIfAbsent(type, k -> create.apply(stream)));
    }

    /**
     * @param type the attachment's type
     * @param attachment the attachment expected there
     * @return true if it was there and is now removed (the caller closes it)
     */
    boolean detach(Class<?> type, AutoCloseable attachment) {
        return attachments.remove(type, attachment);
    }

    /**
     * Closes every attachment, once; failures go to {@code errors}, and the others still close.
     *
     * @param errors where a failure goes
     */
    void closeAttachments(Consumer<Throwable> errors) {
        for (Class<?> type : attachments.keySet()) {
            AutoCloseable a = attachments.remove(type);
            if (a != null) {
                try {
                    a.close();
                } catch (Exception | Error e) {
                    errors.accept(e);
                }
            }
        }
    }
}
