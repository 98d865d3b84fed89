package org.jgpu.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.GpuException;
import org.jgpu.spi.DeviceBackend;

/**
 * What a context must close: every resource's {@link Handle}, in the order closing needs, and the
 * open streams, which the context's own waits go through.
 */
final class Registry {
    private final String contextName;
    private final DeviceBackend backend;
    private final Sequencer sequencer;
    private final LiveStreams streams;
    private final Completions completions;
    private final Set<Handle> handles = ConcurrentHashMap.newKeySet();
    private final AtomicInteger objectIds = new AtomicInteger();

    /**
     * @param contextName the context's name, for messages
     * @param backend the context's backend, for the streams' handles
     * @param sequencer the lock that adopting a resource and dropping a stream take
     * @param streams the open streams
     * @param completions where failures that cannot be thrown go
     */
    Registry(String contextName, DeviceBackend backend, Sequencer sequencer, LiveStreams streams, Completions completions) {
        this.contextName = contextName;
        this.backend = backend;
        this.sequencer = sequencer;
        this.streams = streams;
        this.completions = completions;
    }

    /** @return a new name for an object, e.g. {@code event#3} */
    String nextName(String kind) {
        return kind + "#" + objectIds.incrementAndGet();
    }

    /**
     * @return a new name for a stream the user did not name, e.g. {@code stream#2}, numbered
     *         across the context's domain: a hazard between two devices of a group names two
     *         different streams
     */
    String nextStreamName(String kind) {
        return kind + "#" + sequencer.domain().nextStreamId();
    }

    /**
     * Takes a new resource in, so that closing the context closes it.
     *
     * @throws IllegalStateException if the context is closed or closing (checked under the lock
     *         that close takes, so no resource escapes a close)
     */
    void adopt(Handle h) {
        sequencer.exclusive(() -> {
            sequencer.ensureOpen();
            handles.add(h);
        });
    }

    void forget(Handle h) {
        handles.remove(h);
    }

    /** Registers a new stream; call under the context's lock, where its clock was registered. */
    void addStream(StreamState s) {
        streams.add(s);
    }

    /** @return true while the stream is registered (call under the context's lock for a lasting answer) */
    boolean isLive(StreamState s) {
        return streams.isLive(s);
    }

    /** @return the open stream at a timeline index, or null */
    StreamState stream(int index) {
        return streams.get(index);
    }

    /**
     * Forgets a stream whose work is done or given up on: closes its attachments (outside the
     * lock: a library's close may wait for the device), then retires and destroys it.
     *
     * @param s the stream
     * @param destroy false for a stream the backend or another owner destroys
     */
    void dropStream(StreamState s, boolean destroy) {
        s.closeAttachments(completions::storeError);
        sequencer.retire(s, destroy, completions::storeError);
    }

    /** Blocks until a stream's current work is done and lets the host know it. */
    void awaitStream(int index) {
        StreamState s = streams.get(index);
        if (s == null) {
            return;     // closed: closing it waited for its work
        }
        if (!s.gate().enter()) {
            s.gate().awaitReleased();    // closing: its closer waits for its work
            return;
        }
        try {
            sequencer.awaitObserved(s, () -> s.clock().vector(), s.nativeStream()::synchronize);
        } finally {
            s.gate().exit();
        }
    }

    /**
     * For the close: waits for the current work of other contexts' streams (of the device group)
     * that copied to or from this context's buffers, so that none is freed under such a copy. A
     * failure of that work is that stream's context's to report: it is stored there, for its next
     * synchronize.
     *
     * @param timelines the streams' timeline indexes
     */
    void awaitPeerUsers(List<Integer> timelines) {
        for (int t : timelines) {
            StreamState s = streams.get(t);
            if (s == null) {
                continue;     // closed: closing it waited for its work
            }
            try {
                awaitStream(t);
            } catch (RuntimeException e) {
                s.scope().completions().storeError(e);
            }
        }
    }

    /** Waits for every open stream; returns the first failure (the others suppressed), or null. */
    RuntimeException awaitStreams() {
        RuntimeException failure = null;
        for (StreamState s : streams.open()) {
            if (!s.gate().enter()) {
                // closing on another thread, which waits for its work and reports its errors
                s.gate().awaitReleased();
                continue;
            }
            try {
                sequencer.awaitObserved(s, () -> s.clock().vector(), s.nativeStream()::synchronize);
            } catch (RuntimeException e) {
                failure = chain(failure, e);
            } finally {
                s.gate().exit();
            }
        }
        return failure;
    }

    /** @return a future per open stream, for the current end of its work */
    List<CompletableFuture<Void>> onComplete() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (StreamState s : streams.open()) {
            // the context's close may have begun since the caller's check: then it has waited (or
            // waits) for the stream's work already, and a callback asked for now might never run
            CompletableFuture<Void> f = sequencer.exclusive(() -> !sequencer.isClosed() && streams.isLive(s)
                    && !s.gate().isClosed() ? completions.after(s, s.clock().vector().copy(), null, null) : null);
            // null: closing on another thread, which waits for the stream's work
            all.add(f != null ? f : s.gate().whenReleased().thenRunAsync(() -> { }, completions::handOff));
        }
        return all;
    }

    /**
     * A future for the current end of a stream that first runs {@code action} (if not null), in
     * the stream's callback order, completed on the callback executor: the backend's callback
     * thread only hands off.
     *
     * @throws IllegalStateException if the context or the stream is closed
     */
    CompletableFuture<Void> completion(StreamState s, Runnable action, String streamName) {
        return sequencer.exclusive(() -> {
            sequencer.ensureOpen();
            if (!streams.isLive(s) || s.gate().isClosed()) {
                throw new IllegalStateException("stream '" + s.name() + "' of " + contextName + " is closed");
            }
            return completions.after(s, s.clock().vector().copy(), action, streamName);
        });
    }

    /** @throws IllegalStateException if a stream captures a graph, which {@code op} would break */
    void ensureNoCapture(String op) {
        for (StreamState s : streams.open()) {
            if (sequencer.capturing(s)) {
                throw new IllegalStateException(op + " on " + contextName + " while stream '" + s.name()
                        + "' captures a graph would break the capture: finish the capture first");
            }
        }
    }

    /**
     * Refuses a handle that is one of this context's open streams already: two timelines over
     * one queue would hide its order from the hazard tracker.
     *
     * @throws IllegalArgumentException naming the stream that has the handle
     */
    void ensureNotOurs(long nativeHandle) {
        for (StreamState s : streams.open()) {
            if (s.gate().enter()) {
                try {
                    if (backend.streamHandle(s.nativeStream()) == nativeHandle) {
                        throw new IllegalArgumentException("stream handle 0x" + Long.toHexString(nativeHandle)
                                + " is stream '" + s.name() + "' of " + contextName + " already: use that stream");
                    }
                } finally {
                    s.gate().exit();
                }
            }
        }
    }

    /**
     * Closes every resource still open, buffers, events and modules first, streams last: a free
     * may still name its stream. For the context's close, after it waited for the device.
     *
     * @param failure the close's failure so far, or null
     * @return the failure with the ones of this step added, or null
     */
    RuntimeException closeAll(RuntimeException failure) {
        // libraries' attachments first, while everything they may use is open; their failures
        // are this close's to throw (no synchronize comes after it to rethrow stored ones)
        List<RuntimeException> attachmentFailures = new ArrayList<>();
        for (StreamState s : streams.open()) {
            s.closeAttachments(t -> attachmentFailures.add(t instanceof RuntimeException r ? r
                    : new GpuException("closing an attachment of stream '" + s.name() + "' of " + contextName
                            + " failed: " + t, t)));
        }
        for (RuntimeException e : attachmentFailures) {
            failure = chain(failure, e);
        }
        List<Handle> all = new ArrayList<>(handles);
        all.sort(Comparator.comparing(Handle::kind));
        for (Handle h : all) {
            try {
                h.closeNow();
            } catch (RuntimeException e) {
                failure = chain(failure, e);
            }
        }
        return failure;
    }

    /** @return {@code first} with {@code next} suppressed in it, or {@code next} if there is no first */
    static RuntimeException chain(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }
}
