package org.jgpu.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeStream;

/**
 * The event {@link org.jgpu.Stream#record()} returns: one record of a pooled native event
 * ({@link EventPool}), so that the common {@code b.waitFor(a.record())} makes no native event,
 * registers nothing with the cleaner and captures no stack.
 *
 * <p>Once the native event has moved on to a later record, this record had completed and the
 * host had learnt so: the event then reports complete (a lost device is still reported, as a
 * native query would), and waiting for it enqueues nothing.
 * While a query or a wait is asking about the record, the native event is not reused. Closing
 * it frees nothing (the pool owns the native event); it only refuses later use.
 */
final class RecordedEvent implements Event, EventRecords {
    private final Scope scope;
    /** The pooled event and which of its records is this event's; guarded by the context's lock. */
    private EventPool.Entry entry;
    private long record;
    /** Where it was recorded; guarded by the context's lock. */
    private StreamState stream;
    private volatile boolean closed;

    /** @param scope the context's parts; the event is recorded next (under the lock) */
    RecordedEvent(Scope scope) {
        this.scope = scope;
    }

    @Override
    public Scope owner() {
        return scope;
    }

    @Override
    public void ensureRecorded(String op) {
        if (scope.sequencer().isClosed()) {
            throw new IllegalStateException(this + " is closed (its context " + scope.name() + " was closed)");
        }
        if (closed) {
            throw new IllegalStateException(this + " of " + scope.name() + " is closed");
        }
    }

    /** Closing it frees nothing, so there is nothing to wait for: only refused once closed. */
    @Override
    public void beginUse() {
        ensureRecorded("use");
    }

    @Override
    public void endUse() {
        // nothing to end: see beginUse
    }

    @Override
    public boolean timing() {
        return false;
    }

    @Override
    public void enqueueRecord(StreamState s, EventPool pool) {
        entry = pool.record(s);
        record = entry.record;
        stream = s;
    }

    @Override
    public void enqueueWait(StreamState s) {
        if (entry.record != record) {
            return;     // done, and the host knows: the stream learns it at its next enqueue
        }
        s.nativeStream().waitEvent(entry.nativeEvent);
        s.clock().vector().join(entry.clock);
    }

    /**
     * Keeps the native event from being reused while a query or wait asks about this record
     * (call under the context's lock; end with {@link Sequencer#unpin}).
     *
     * @return the entry, or null if it has moved on (this record is done)
     */
    EventPool.Entry pin() {
        if (entry.record != record) {
            return null;
        }
        entry.users++;
        return entry;
    }

    @Override
    public String name() {
        return scope.sequencer().exclusive(() -> stream.name() + "-event#" + record);
    }

    @Override
    public Set<EventOption> options() {
        return Set.of();
    }

    @Override
    public boolean isRecorded() {
        return true;
    }

    @Override
    public boolean query() {
        ensureRecorded("query");
        return ask(NativeEvent::query);
    }

    @Override
    public void synchronize() {
        ensureRecorded("synchronize");
        ask(e -> {
            e.synchronize();
            return true;
        });
        // as for any event: a failure of the recording stream is reported here
        // (a closed stream reported its failures when it closed; its close waits for this check)
        StreamState s = scope.sequencer().exclusive(() -> stream);
        if (s.gate().enter()) {
            try {
                if (s.nativeStream().peekError() != null) {
                    s.nativeStream().synchronize();
                }
            } finally {
                s.gate().exit();
            }
        }
    }

    /**
     * Asks the native event about this record, outside the lock: pinned, so that it is not
     * reused meanwhile, and as a call the context's close waits for before it destroys the pool.
     *
     * @param how polls or waits; true if the record is done
     * @return true if the record is done (at once if the native event has moved on)
     */
    private boolean ask(Predicate<NativeEvent> how) {
        Sequencer sequencer = scope.sequencer();
        sequencer.enterCreate();
        try {
            EventPool.Entry e = sequencer.pin(this);
            if (e == null) {
                reportDeviceLoss();
                return true;
            }
            boolean done = false;
            try {
                done = how.test(e.nativeEvent);
                return done;
            } finally {
                sequencer.unpin(e, done);
            }
        } finally {
            sequencer.exitCreate();
        }
    }

    /**
     * For a record that is done: as a native event's query reports a lost device (CUDA's sticky
     * error) whatever the record, asks the native event, now at a later record, and ignores its
     * answer.
     */
    private void reportDeviceLoss() {
        scope.sequencer().exclusive(() -> entry).nativeEvent.query();
    }

    @Override
    public CompletableFuture<Void> onComplete() {
        ensureRecorded("onComplete");
        Sequencer sequencer = scope.sequencer();
        NativeStream waiter = scope.completions().eventWaiter();
        return sequencer.exclusive(() -> {
            sequencer.ensureOpen();     // checked under the lock: the pool is destroyed only after a close began
            VectorClock seen;
            if (entry.record == record) {
                waiter.waitEvent(entry.nativeEvent);
                seen = entry.clock.copy();
            } else {
                seen = new VectorClock();   // done, and the host knows
            }
            return scope.completions().after(waiter, stream.nativeStream(), seen);
        });
    }

    @Override
    public Duration elapsedSince(Event start) {
        EventRecords s = scope.own(start, "start");
        CoreEvent.requireTiming(s, this);
        throw new AssertionError("an event made by record() has no timing");
    }

    @Override
    public boolean isOpen() {
        return !closed && !scope.sequencer().isClosed();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "event '" + name() + "'";
    }
}
