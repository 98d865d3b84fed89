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
final class CoreEvent implements Event {
    final CoreContext ctx;
    final NativeEvent nat;
    private final String name;
    private final Set<EventOption> options;
    private final Handle handle;
    /** The recording stream's clock at the latest record; guarded by the context's lock. */
    private VectorClock clock;
    private volatile NativeStream recordedOn;

    CoreEvent(CoreContext ctx, NativeEvent nat, String name, Set<EventOption> options, Handle.OnLeak onLeak) {
        this.ctx = ctx;
        this.nat = nat;
        this.name = name;
        this.options = Collections.unmodifiableSet(options);
        this.handle = Handle.track(this, Handle.Kind.EVENT, "event '" + name + "' of " + ctx.name(), nat::destroy, ctx, onLeak);
    }

    void ensureOpen() {
        if (ctx.isClosed()) {
            throw new IllegalStateException("event '" + name + "' is closed (its context " + ctx.name() + " was closed)");
        }
        if (handle.isClosed()) {
            throw new IllegalStateException("event '" + name + "' of " + ctx.name() + " is closed");
        }
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
        ensureRecorded("query");
        VectorClock seen = recordedClock();
        if (nat.query()) {
            ctx.observed(seen);
            return true;
        }
        return false;
    }

    @Override
    public void synchronize() {
        ensureRecorded("synchronize");
        VectorClock seen = recordedClock();
        nat.synchronize();
        ctx.observed(seen);
        NativeStream source = recordedOn;
        if (source.peekError() != null) {
            source.synchronize();
        }
    }

    @Override
    public CompletableFuture<Void> onComplete() {
        ensureRecorded("onComplete");
        VectorClock seen = recordedClock();
        CompletableFuture<Void> f = new CompletableFuture<>();
        NativeStream waiter = ctx.eventWaiter();
        NativeStream source = recordedOn;
        synchronized (ctx.lock) {
            waiter.waitEvent(nat);
            waiter.hostCallback(() -> ctx.handOff(() -> {
                RuntimeException error = source.peekError();
                ctx.observed(seen);
                if (error != null) {
                    f.completeExceptionally(error);
                } else {
                    f.complete(null);
                }
            }));
        }
        return f;
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
        return Duration.ofNanos(nat.elapsedNanos(s.nat));
    }

    @Override
    public boolean isOpen() {
        return !ctx.isClosed() && !handle.isClosed();
    }

    @Override
    public void close() {
        if (handle.markClosed()) {
            handle.release();
        }
    }

    @Override
    public String toString() {
        return "event '" + name + "'";
    }
}
