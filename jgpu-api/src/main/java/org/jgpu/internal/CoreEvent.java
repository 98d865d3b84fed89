package org.jgpu.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeStream;

/** The one implementation of {@link Event}. */
final class CoreEvent extends CoreResource implements Event, EventRecords {
    final NativeEvent nativeEvent;
    private final String name;
    private final Set<EventOption> options;
    /** The recording stream's clock at the latest record; guarded by the context's lock. */
    private final VectorClock clock = new VectorClock();
    private volatile NativeStream recordedOn;

    CoreEvent(Scope scope, NativeEvent nativeEvent, String name, Set<EventOption> options, Handle.OnLeak onLeak) {
        super(scope, "event '" + name + "'", Handle.Kind.EVENT, nativeEvent::destroy, onLeak);
        this.nativeEvent = nativeEvent;
        this.name = name;
        this.options = Collections.unmodifiableSet(options);
    }

    @Override
    public Scope owner() {
        return scope();
    }

    @Override
    public void beginUse() {
        enter();
    }

    @Override
    public void endUse() {
        exit();
    }

    @Override
    public boolean timing() {
        return options.contains(EventOption.TIMING);
    }

    /** Called under the context's lock; the clock's storage is reused, so a re-record allocates nothing. */
    @Override
    public void enqueueRecord(StreamState s, EventPool pool) {
        s.nativeStream().record(nativeEvent);
        clock.setTo(s.clock().vector());
        recordedOn = s.nativeStream();
    }

    @Override
    public void enqueueWait(StreamState s) {
        s.nativeStream().waitEvent(nativeEvent);
        s.clock().vector().join(clock);
    }

    /** @return the clock of the latest record (call under the context's lock) */
    VectorClock clock() {
        return clock;
    }

    @Override
    public void ensureRecorded(String op) {
        ensureOpen();
        if (recordedOn == null) {
            throw new IllegalStateException(op + ": event '" + name + "' of " + scope().name()
                    + " was never recorded, so there is nothing to wait for; record it on a stream first (stream.record(event))");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<EventOption> options() {
        return options;
    }

    @Override
    public boolean isRecorded() {
        return recordedOn != null;
    }

    @Override
    public boolean query() {
        enter();
        try {
            ensureRecorded("query");
            return scope().sequencer().observe(this, null, CoreEvent::clock, e -> e.nativeEvent.query());
        } finally {
            exit();
        }
    }

    @Override
    public void synchronize() {
        enter();
        try {
            ensureRecorded("synchronize");
            scope().sequencer().awaitObserved(null, this::clock, nativeEvent::synchronize);
            NativeStream source = recordedOn;
            if (source.peekError() != null) {
                source.synchronize();
            }
        } finally {
            exit();
        }
    }

    @Override
    public CompletableFuture<Void> onComplete() {
        enter();
        try {
            ensureRecorded("onComplete");
            Sequencer sequencer = scope().sequencer();
            VectorClock seen = sequencer.exclusive(() -> clock.copy());
            NativeStream waiter = scope().completions().eventWaiter();
            return sequencer.exclusive(() -> {
                waiter.waitEvent(nativeEvent);
                return scope().completions().after(waiter, recordedOn, seen);
            });
        } finally {
            exit();
        }
    }

    @Override
    public Duration elapsedSince(Event start) {
        CoreEvent s = requireTiming(scope().own(start, "start"), this);
        s.synchronize();
        synchronize();
        enter();
        try {
            s.enter();
            try {
                return Duration.ofNanos(nativeEvent.elapsedNanos(s.nativeEvent));
            } finally {
                s.exit();
            }
        } finally {
            exit();
        }
    }

    /**
     * Checks that both events of an {@code elapsedSince} were recorded with timing.
     *
     * @return {@code start}, which has timing
     * @throws IllegalStateException naming the first event that is closed, was never recorded,
     *         or has no timing
     */
    static CoreEvent requireTiming(EventRecords start, EventRecords end) {
        for (EventRecords e : new EventRecords[] {start, end}) {
            e.ensureRecorded("elapsedSince");
            if (!e.timing()) {
                throw new IllegalStateException("elapsedSince: " + e + " was created without EventOption.TIMING;"
                        + " create both with ctx.createEvent(EnumSet.of(EventOption.TIMING)) and record them with"
                        + " stream.record(event)");
            }
        }
        return (CoreEvent) start;   // only events the user made have timing
    }
}
