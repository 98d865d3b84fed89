package org.jgpu.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeStream;

/** The one implementation of {@link Event}. */
final class CoreEvent extends CoreResource implements Event {
    final NativeEvent nat;
    private final String name;
    private final Set<EventOption> options;
    /** The recording stream's clock at the latest record; guarded by the context's lock. */
    private VectorClock clock;
    private volatile NativeStream recordedOn;

    CoreEvent(CoreContext ctx, NativeEvent nat, String name, Set<EventOption> options, Handle.OnLeak onLeak) {
        super(ctx, "event '" + name + "'", Handle.Kind.EVENT, nat::destroy, onLeak);
        this.nat = nat;
        this.name = name;
        this.options = Collections.unmodifiableSet(options);
    }

    /** Called under the context's lock when a stream records this event. */
    void recorded(VectorClock streamClock, NativeStream stream) {
        clock = streamClock;
        recordedOn = stream;
    }

    /** @return the clock of the latest record (call under the context's lock) */
    VectorClock clock() {
        return clock;
    }

    void ensureRecorded(String op) {
        ensureOpen();
        if (recordedOn == null) {
            throw new IllegalStateException(op + ": event '" + name + "' of " + ctx.name()
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

    private VectorClock recordedClock() {
        synchronized (ctx.lock) {
            return clock.copy();
        }
    }

    @Override
    public boolean query() {
        enter();
        try {
            ensureRecorded("query");
            VectorClock seen = recordedClock();
            if (nat.query()) {
                ctx.observed(seen);
                return true;
            }
            return false;
        } finally {
            exit();
        }
    }

    @Override
    public void synchronize() {
        enter();
        try {
            ensureRecorded("synchronize");
            VectorClock seen = recordedClock();
            nat.synchronize();
            ctx.observed(seen);
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
            VectorClock seen = recordedClock();
            NativeStream waiter = ctx.eventWaiter();
            synchronized (ctx.lock) {
                waiter.waitEvent(nat);
                return ctx.futureAfter(waiter, recordedOn, seen);
            }
        } finally {
            exit();
        }
    }

    @Override
    public Duration elapsedSince(Event start) {
        CoreEvent s = ctx.own(start, "start");
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
                return Duration.ofNanos(nat.elapsedNanos(s.nat));
            } finally {
                s.exit();
            }
        } finally {
            exit();
        }
    }

}
