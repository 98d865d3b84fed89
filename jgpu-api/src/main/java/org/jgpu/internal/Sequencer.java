package org.jgpu.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jgpu.HazardMode;
import org.jgpu.internal.hazard.BufferState;
import org.jgpu.internal.hazard.Conflict;
import org.jgpu.internal.hazard.HazardTracker;
import org.jgpu.internal.hazard.StreamClock;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order of one context's operations: it holds the context's open/closed gate and takes the
 * lock of the context's {@link HazardDomain}, whose hazard tracker it updates; the sequencers of
 * the domain's contexts are the only users of that lock (a context made on its own has a domain
 * of its own; the contexts of a device group share one, so that one's events and buffers can
 * order and be used by another's streams).
 *
 * <p>The lock guards the hazard bookkeeping. A copy, fill or launch is checked and recorded
 * under it and given its place in its stream's order ({@link StreamState#place}); the backend
 * call is made after the lock is released, in that order, so threads enqueuing on different
 * streams make their backend calls side by side. Every other backend call on a stream is made
 * under the lock, after the operations placed on that stream were handed over
 * ({@link StreamState#awaitPlacedIssued}), and so is everything that learns what a stream has
 * done: then what the tracker has recorded is what the backend has been given. The lock is
 * never held while waiting for the device or while user code runs.
 */
final class Sequencer {
    private static final Logger LOG = LoggerFactory.getLogger("org.jgpu");

    private final Object lock;
    private final String name;
    private final DeviceBackend backend;
    private final HazardMode mode;
    private final HazardTracker tracker;
    private final LiveStreams streams;
    private final Diagnostics diagnostics;
    private final EventPool events;
    /** Closed at the start of the context's close: from then on nothing is accepted; released at its end. */
    private final Gate gate = new Gate();

    /** The context's number in its domain, which its streams' clocks carry. */
    private final int member;
    private final HazardDomain domain;
    /**
     * Timelines of other contexts' streams that copied to or from this context's buffers (a
     * stream closed since may have left its index to another): the close waits for their work
     * before it frees the buffers. Guarded by the lock.
     */
    private final BitSet peerUsers = new BitSet();

    /**
     * @param name the context's name, for messages
     * @param backend where AUTO's waits get their events
     * @param domain the lock and hazard tracker the context shares with the others of its domain
     * @param streams the open streams, for AUTO's waits
     * @param diagnostics what traces the operations
     */
    Sequencer(String name, DeviceBackend backend, HazardDomain domain, LiveStreams streams, Diagnostics diagnostics) {
        this.name = name;
        this.backend = backend;
        this.mode = domain.mode();
        this.lock = domain.lock;
        this.tracker = domain.tracker;
        this.member = domain.join();
        this.domain = domain;
        this.streams = streams;
        this.diagnostics = diagnostics;
        this.events = new EventPool(backend, tracker.host());
    }

    /**
     * Runs {@code action} under the lock, for a state change that must be atomic with every
     * enqueue (a capture's start and end, a close's mark).
     *
     * @param action what to run; it must not wait for the device or run user code
     * @return what it returned
     */
    <T> T exclusive(Supplier<T> action) {
        synchronized (lock) {
            awaitAllIssued();
            return action.get();
        }
    }

    /** @see #exclusive(Supplier) */
    void exclusive(Runnable action) {
        synchronized (lock) {
            awaitAllIssued();
            action.run();
        }
    }

    /**
     * Under the lock: waits until every operation placed on an open stream was handed to the
     * backend, so that what the tracker recorded is what the backend was given.
     */
    private void awaitAllIssued() {
        for (StreamState s : streams.all()) {
            s.awaitPlacedIssued();
        }
    }

    /** @return the domain the context shares its lock and hazard tracker with */
    HazardDomain domain() {
        return domain;
    }

    /** @return the context's number in its domain */
    int member() {
        return member;
    }

    /** @return true if the calling thread holds the lock (for tests of what runs under it) */
    boolean holdsLock() {
        return Thread.holdsLock(lock);
    }

    // ---- the context's open/closed state

    /** @throws IllegalStateException if the context is closed or closing */
    void ensureOpen() {
        if (gate.isClosed()) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    /** @return true once close() has begun: nothing more is accepted */
    boolean isClosed() {
        return gate.isClosed();
    }

    /**
     * Starts a call that uses the backend outside the lock (making a resource, say): close waits
     * for every one started before it, so that a resource it refuses is released while the
     * backend is still there.
     *
     * @throws IllegalStateException if the context is closed
     */
    void enterCreate() {
        if (!gate.enter()) {
            ensureOpen();
        }
    }

    /** Ends what {@link #enterCreate()} began. */
    void exitCreate() {
        gate.exit();
    }

    /** @return true if this call began the close (marked under the lock, so no enqueue slips in after) */
    boolean beginClose() {
        synchronized (lock) {
            boolean mine = gate.close();
            // nothing is placed from now on: the close finds every backend call made
            awaitAllIssued();
            return mine;
        }
    }

    /**
     * For the close, once {@link #beginClose()} has refused further copies between devices: the
     * timelines of other contexts' streams that copied to or from this context's buffers.
     *
     * @return their indexes
     */
    List<Integer> peerUsers() {
        synchronized (lock) {
            return peerUsers.stream().boxed().toList();
        }
    }

    /** Waits for the calls that {@link #enterCreate()} let in before the close. */
    void awaitCreates() {
        gate.awaitCalls();
    }

    /** Says the close has released everything. */
    void closed() {
        gate.released();
    }

    /** Waits until a close() in progress (on any thread) has released everything. */
    void awaitClosed() {
        gate.awaitReleased();
    }

    // ---- streams

    /**
     * Gives a new stream its clock; call under the lock (in {@link #exclusive}).
     *
     * @param streamName the stream's name
     * @param legacyDefault true for the legacy default stream
     * @param blocking true unless the stream is non-blocking
     * @return the stream's clock
     */
    StreamClock register(String streamName, boolean legacyDefault, boolean blocking) {
        return tracker.register(streamName, member, legacyDefault, blocking);
    }

    /**
     * Forgets a stream whose work is done or given up on, and destroys its backend stream: its
     * clock leaves the hazard tracker (and its index can serve a later stream).
     *
     * @param s the stream
     * @param destroy false for a stream the backend or another owner destroys
     * @param errors where a failed query goes
     */
    void retire(StreamState s, boolean destroy, Consumer<Throwable> errors) {
        synchronized (lock) {
            s.awaitPlacedIssued();
            streams.remove(s);
            try {
                // a stream dropped unclosed (a leak) may still be busy: the host knows it finished only if it did
                if (s.nativeStream().query()) {
                    tracker.host().join(s.clock().vector());
                }
            } catch (RuntimeException e) {
                errors.accept(e);
            }
            tracker.retire(s.clock());
            events.retire(s);
            if (destroy) {
                s.nativeStream().destroy();
            }
        }
    }

    // ---- the enqueue path

    /**
     * Checks an operation's accesses, records them and hands the operation to the backend: under
     * the lock, or after it in the stream's order ({@link Op#issuedUnderLock()}).
     *
     * @param s the stream
     * @param op the operation: what it touches, its backend call, its name for hazard messages
     *           and timelines
     * @throws org.jgpu.HazardException in CHECK mode, before anything is enqueued
     * @throws IllegalStateException if the context, the stream or a buffer is closed
     */
    void enqueue(StreamState s, Op op) {
        long place;
        synchronized (lock) {
            if (!commit(s, op)) {
                return;
            }
            place = s.place();
        }
        try {
            s.awaitTurn(place);
            diagnostics.trace(s.name(), op, s.nativeStream());
        } finally {
            s.issued(place);
        }
    }

    /**
     * Like {@link #enqueue}, returning the stream's clock as the commit left it, read under the
     * same hold of the lock (for a synchronous operation the host then knows complete); the
     * operation is handed to the backend under the lock.
     */
    VectorClock enqueueSeen(StreamState s, Op op) {
        synchronized (lock) {
            commit(s, op);
            return s.clock().vector().copy();
        }
    }

    /**
     * Under the lock: the checks, AUTO's waits and the record of an operation; hands it to the
     * backend here if it is to be made under the lock (or captured, or on the legacy default
     * stream, which orders itself with every other).
     *
     * @return false if the operation was handed over already, true if it is the caller's to
     *         hand over after the lock is released, once it has its place
     */
    private boolean commit(StreamState s, Op op) {
        ensureOpen();
        s.ensureOpen();
        Sequencer peer = op.peer();
        if (peer != null) {
            // its close marks its gate under this lock: no copy reaches its buffers after that mark
            peer.ensureOpen();
        }
        int n = op.touchCount();
        for (int i = 0; i < n; i++) {
            Touch t = op.touch(i);
            if (t.buffer().isClosed()) {
                // closing a buffer marks it under this lock: no copy slips in after the close
                throw new IllegalStateException(t.buffer().name() + (peer == null ? " of " + name : "") + " is closed");
            }
        }
        if (peer != null) {
            peer.peerUsers.set(s.clock().index());
        }
        StreamState.Capture capture = s.capture();
        if (capture != null) {
            // captured, not run: the graph's launches are checked and recorded instead
            s.awaitPlacedIssued();
            op.issue(s.nativeStream());
            capture.add(op);
            return false;
        }
        boolean underLock = op.issuedUnderLock() || s.clock().legacyDefault();
        if (s.clock().legacyDefault()) {
            // it orders itself after everything enqueued on blocking streams: all of it handed over first
            awaitAllIssued();
        }
        tracker.beforeEnqueue(s.clock());
        if (n > 0 && mode != HazardMode.OFF) {
            List<Conflict> conflicts = tracker.conflicts(s.clock().vector(), op);
            if (!conflicts.isEmpty()) {
                if (mode == HazardMode.CHECK) {
                    throw Hazards.onStream(conflicts.get(0), s.name(), String.valueOf(op.name()));
                }
                awaitAllIssued();
                insertWaits(s, conflicts);
            }
        }
        tracker.commit(s.clock(), op.name(), op);
        if (underLock) {
            s.awaitPlacedIssued();
            diagnostics.trace(s.name(), op, s.nativeStream());
            return false;
        }
        return true;
    }

    /**
     * Checks, recording nothing, that work of {@code s} touching a range would race with nothing
     * enqueued so far: for a call that enqueues many operations and must not be refused half-way,
     * having changed a buffer already. In AUTO mode it makes {@code s} wait for what it would
     * race with instead.
     *
     * @param s the stream
     * @param touch the range and how it will be used
     * @param op the call, for the message
     * @throws org.jgpu.HazardException in CHECK mode
     * @throws IllegalStateException if the context, the stream or the buffer is closed
     */
    void claim(StreamState s, Touch touch, String op) {
        synchronized (lock) {
            ensureOpen();
            s.ensureOpen();
            if (touch.buffer().isClosed()) {
                throw new IllegalStateException(touch.buffer().name() + " of " + name + " is closed");
            }
            tracker.beforeEnqueue(s.clock());
            List<Conflict> conflicts = tracker.conflicts(s.clock().vector(), touch);
            if (conflicts.isEmpty()) {
                return;
            }
            if (mode == HazardMode.CHECK) {
                throw Hazards.onStream(conflicts.get(0), s.name(), op);
            }
            awaitAllIssued();
            insertWaits(s, conflicts);
        }
    }

    /** AUTO: makes {@code s} wait for the current end of every stream it races with. */
    private void insertWaits(StreamState s, List<Conflict> conflicts) {
        Set<Integer> done = new LinkedHashSet<>();
        for (Conflict c : conflicts) {
            if (!done.add(c.earlierTimeline())) {
                continue;
            }
            StreamState other = streams.get(c.earlierTimeline());
            if (other == null) {
                continue;
            }
            tracker.beforeEnqueue(other.clock());
            // an event is recorded on a stream of its own device: the other stream's context's pool
            EventPool.Entry e = other.sequencer().events.record(other);
            s.nativeStream().waitEvent(e.nativeEvent);
            s.clock().vector().join(e.clock);
            LOG.debug("AUTO: stream '{}' now waits for stream '{}' ({} on {})", s.name(), other.name(),
                    c.earlierOp(), c.buffer());
        }
    }

    /**
     * @param s the stream
     * @param op the call, for the message
     * @throws IllegalStateException if the stream captures a graph, which {@code op} would break
     */
    void ensureNotCapturing(StreamState s, String op) {
        synchronized (lock) {
            s.ensureNotCapturing(op);
        }
    }

    /**
     * Under the lock, where captures begin and end, but without waiting for placed operations
     * to be issued: whether a stream captures does not depend on them.
     *
     * @param s the stream
     * @return whether it captures a graph now
     */
    boolean capturing(StreamState s) {
        synchronized (lock) {
            return s.capture() != null;
        }
    }

    /**
     * Records an event at the current end of a stream.
     *
     * @param s the stream
     * @param event the event
     * @param op the user's call, refused if the stream captures a graph; null for the core's own
     *           orderings, made whatever the stream does
     * @throws IllegalStateException if the context or the stream is closed, or the stream captures
     */
    void record(StreamState s, EventRecords event, String op) {
        synchronized (lock) {
            ensureOpen();
            s.ensureOpen();
            if (op != null) {
                s.ensureNotCapturing(op);
            }
            s.awaitPlacedIssued();
            tracker.beforeEnqueue(s.clock());
            event.enqueueRecord(s, events);
        }
    }

    /**
     * Makes a stream wait for an event.
     *
     * @param s the stream
     * @param event the event, refused under the lock first if it cannot be waited for
     * @throws IllegalStateException if the context or the stream is closed, the stream captures a
     *         graph, or the event was never recorded
     */
    void waitFor(StreamState s, EventRecords event) {
        synchronized (lock) {
            ensureOpen();
            s.ensureOpen();
            s.ensureNotCapturing("waitFor");
            event.ensureRecorded("waitFor");
            s.awaitPlacedIssued();
            event.enqueueWait(s);
        }
    }

    /**
     * Keeps a recorded event's native event from being reused while the caller asks about its
     * record outside the lock.
     *
     * @param event the event
     * @return the entry to ask, or null if the record is done (the event has moved on)
     * @throws IllegalStateException if the context is closed
     */
    EventPool.Entry pin(RecordedEvent event) {
        synchronized (lock) {
            ensureOpen();
            return event.pin();
        }
    }

    /**
     * Ends what {@link #pin} began.
     *
     * @param e the entry
     * @param done true if its record was seen complete: the host learns its clock
     */
    void unpin(EventPool.Entry e, boolean done) {
        synchronized (lock) {
            if (done) {
                tracker.host().join(e.clock);
            }
            e.users--;
        }
    }

    /**
     * Destroys the pooled native events, for the context's close (its streams are done).
     *
     * @return the first failure, or null
     */
    RuntimeException destroyEvents() {
        synchronized (lock) {
            return events.destroyAll();
        }
    }

    /** @return how many native events the pool made (for tests of reuse) */
    int eventsMade() {
        synchronized (lock) {
            return events.made();
        }
    }

    // ---- what the host learns

    /**
     * Snapshot, wait, observe: the host learns a clock once the work up to it is done. The
     * snapshot is the clock's version, taken under the lock before the wait: if the clock is
     * unchanged after it, the host learns it as it is; if not, work enqueued meanwhile must not
     * be counted done, so the wait is asked again about a copy taken under the lock.
     *
     * <p>The functions take the subject, so that callers pass non-capturing ones and a poll
     * ({@code query}) allocates nothing.
     *
     * @param subject what is observed: a stream's state, an event
     * @param stream the stream whose operations the clock counts, which must have been handed
     *               to the backend before the backend is asked; null for an event (recorded
     *               under the lock, after its stream's operations were handed over)
     * @param clock the clock to learn, read under the lock
     * @param done waits or polls, outside the lock; true if the work is done
     * @param <T> the subject's type
     * @return what {@code done} returned
     */
    <T> boolean observe(T subject, StreamState stream, Function<T, VectorClock> clock, Predicate<T> done) {
        // most polls see the clock unchanged when they return: then the host learns the clock
        // itself, and a poll copies nothing
        VectorClock live;
        long version;
        synchronized (lock) {
            if (stream != null) {
                stream.awaitPlacedIssued();
            }
            live = clock.apply(subject);
            version = live.version();
        }
        if (!done.test(subject)) {
            return false;
        }
        synchronized (lock) {
            if (live.version() == version) {
                tracker.host().join(live);
                return true;
            }
        }
        // work was enqueued (or the event re-recorded) meanwhile, and the poll may have answered
        // before it: ask again about a copy of the clock
        VectorClock seen;
        synchronized (lock) {
            if (stream != null) {
                stream.awaitPlacedIssued();
            }
            seen = clock.apply(subject).copy();
        }
        if (!done.test(subject)) {
            return false;
        }
        observed(seen);
        return true;
    }

    /**
     * {@link #observe} for a wait that returns only once the work is done.
     *
     * @param stream as for {@link #observe}
     * @param clock the clock to learn, read under the lock
     * @param wait waits for the work, outside the lock
     */
    void awaitObserved(StreamState stream, Supplier<VectorClock> clock, Runnable wait) {
        observe(clock, stream, Supplier::get, c -> {
            wait.run();
            return true;
        });
    }

    /** The host has seen work complete up to {@code clock}. */
    void observed(VectorClock clock) {
        synchronized (lock) {
            tracker.host().join(clock);
        }
    }

    /**
     * A host access to a host buffer: checked against pending copies, then recorded.
     *
     * @param op e.g. {@code read}, for messages
     * @param touch the range and kind
     * @param await waits for a stream's work (AUTO), outside the lock
     * @throws org.jgpu.HazardException in CHECK mode if a pending copy uses the range
     */
    void hostAccess(String op, Touch touch, IntConsumer await) {
        while (true) {
            List<Integer> toWait = new ArrayList<>(2);
            synchronized (lock) {
                ensureOpen();
                List<Conflict> conflicts = tracker.conflicts(tracker.host(), touch);
                if (conflicts.isEmpty()) {
                    tracker.commitHost(op, touch);
                    return;
                }
                if (mode == HazardMode.CHECK) {
                    throw Hazards.onHost(conflicts.get(0), op);
                }
                for (Conflict c : conflicts) {
                    toWait.add(c.earlierTimeline());
                }
            }
            for (int timeline : toWait) {
                await.accept(timeline);
            }
        }
    }

    /** For hazard-free waits on a buffer's users: which streams still have work on it. */
    List<Integer> pendingUsers(BufferState state) {
        synchronized (lock) {
            return tracker.pendingUsers(state);
        }
    }
}
