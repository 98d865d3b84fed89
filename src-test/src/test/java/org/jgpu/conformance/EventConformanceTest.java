package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Event query, synchronize, elapsed time, re-recording, and events never recorded. */
class EventConformanceTest {

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void elapsedTimeMeasuresTheWorkBetweenTwoTimingEvents(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream s = ctx.createStream();
            Event start = ctx.createEvent(EnumSet.of(EventOption.TIMING));
            Event stop = ctx.createEvent(EnumSet.of(EventOption.TIMING));
            s.record(start);
            s.launch(spin, LaunchConfig.forElements(1), 20_000_000L);
            s.record(stop);
            Duration d = stop.elapsedSince(start);
            assertTrue(d.toNanos() >= 19_000_000L && d.toNanos() < 500_000_000L, "elapsed " + d);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void eventsHaveNoTimingUnlessAsked(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            Event plain = ctx.createEvent();
            assertEquals(Set.of(), plain.options());
            Event recorded = s.record();
            assertEquals(Set.of(), recorded.options());
            s.record(plain);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> plain.elapsedSince(recorded));
            assertTrue(e.getMessage().contains("TIMING"), e.getMessage());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void anEventNeverRecordedCannotBeWaitedForQueriedOrTimed(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            Event never = ctx.createEvent(EnumSet.of(EventOption.TIMING));
            assertFalse(never.isRecorded());
            for (Runnable op : new Runnable[] {() -> s.waitFor(never), never::query, never::synchronize,
                    never::onComplete, () -> never.elapsedSince(never)}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, op::run);
                assertTrue(e.getMessage().contains("never recorded") && e.getMessage().contains(never.name()), e.getMessage());
            }
            s.record(never);
            assertTrue(never.isRecorded());
            never.synchronize();
            s.waitFor(never);
            s.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void reRecordingAnEventMovesItToTheNewEndOfTheStream(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream s = ctx.createStream();
            Event e = ctx.createEvent();
            s.record(e);
            e.synchronize();
            assertTrue(e.query());
            s.launch(spin, LaunchConfig.forElements(1), 30_000_000L);
            s.record(e);
            assertFalse(e.query(), "the event's latest record is after the spin");
            e.synchronize();
            assertTrue(e.query());
            assertTrue(s.query());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void eventOnCompleteCompletesAfterTheRecordedWork(String backend) throws Exception {
        try (Context ctx = Backend.open(backend)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream s = ctx.createStream();
            s.launch(spin, LaunchConfig.forElements(1), 20_000_000L);
            Event e = s.record();
            var f = e.onComplete();
            assertFalse(f.isDone());
            f.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(e.query());
        }
    }
}
