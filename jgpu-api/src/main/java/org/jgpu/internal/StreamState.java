package org.jgpu.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Gate gate = new Gate();
    private final CallbackQueue callbacks;
    /** What is being captured, or null; guarded by the context's lock. */
    private Capture capture;
    /** Pooled events recorded on this stream, oldest first; guarded by the context's lock. */
    private final ArrayDeque<EventPool.Entry> recordedEvents = new ArrayDeque<>();
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

    StreamState(StreamClock clock, NativeStream stream, String contextName, CallbackQueue callbacks) {
        this.clock = clock;
        this.stream = stream;
        this.contextName = contextName;
        this.callbacks = callbacks;
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
