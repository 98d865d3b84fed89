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
    private VectorClock clock;
    private volatile NativeStream recordedOn;

    CoreEvent(Scope scope, NativeEvent nativeEvent, String name, Set<EventOption> options, Handle.OnLeak onLeak) {
        super(scope, "event '" + name + "'", Handle.Kind.EVENT, nativeEvent::destroy, onLeak);
        this.nativeEvent = nativeEvent;
        this.name = name;
        this.options = Collections.unmodifiableSet(options);
    }

    /**
     * An event the library manages ({@code Stream.record()}, a stream-ordered free): released
     * quietly when unreachable.
     *
     * @param scope the context's parts
     * @param name the event's name before its number, e.g. {@code upload-event}
     * @return the event
     */
    static CoreEvent managed(Scope scope, String name) {
        return new CoreEvent(scope, scope.backend().createEvent(EnumSet.noneOf(EventOption.class)),
                scope.registry().nextName(name), EnumSet.noneOf(EventOption.class), Handle.OnLeak.RELEASE);
    }

    /** Called under the context's lock when a stream records this event. */
    @Override
    public NativeEvent nativeEvent() {
        return nativeEvent;
    }

    @Override
    public void recorded(VectorClock streamClock, NativeStream stream) {
        clock = streamClock;
        recordedOn = stream;
    }

    /** @return the clock of the latest record (call under the context's lock) */
    @Override
    public VectorClock clock() {
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
            return scope().sequencer().observe(this, CoreEvent::clock, e -> e.nativeEvent.query());
        } finally {
            exit();
        }
    }

    @Override
    public void synchronize() {
        enter();
        try {
            ensureRecorded("synchronize");
            scope().sequencer().awaitObserved(this::clock, nativeEvent::synchronize);
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
        CoreEvent s = scope().own(start, "start");
        for (CoreEvent e : new CoreEvent[] {s, this}) {
            e.ensureRecorded("elapsedSince");
            if (!e.options.contains(EventOption.TIMING)) {
                throw new IllegalStateException("elapsedSince: event '" + e.name
                        + "' was created without EventOption.TIMING; create both with ctx.createEvent(EnumSet.of(EventOption.TIMING))");
            }
        }
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

}
