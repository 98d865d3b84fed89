package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HazardMode;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code Stream.record()} takes its native event from the context's pool: reused once its
 * record is done, and an event whose native event moved on behaves as a completed one.
 */
class RecordedEventTest {
    private static final long MS = 1_000_000L;

    private static CoreContext open(HazardMode mode) {
        return (CoreContext) Context.create(ContextOptions.builder().backend("host").hazardMode(mode).build());
    }

    @Test
    void recordingInALoopReusesAFewNativeEvents() {
        try (CoreContext ctx = open(HazardMode.CHECK); Stream a = ctx.createStream(); Stream b = ctx.createStream()) {
            for (int i = 0; i < 1_000; i++) {
                b.waitFor(a.record());
                if (i % 10 == 0) {
                    b.synchronize();
                }
            }
            assertTrue(ctx.scope().sequencer().eventsMade() <= 4,
                    "native events made for 1,000 records: " + ctx.scope().sequencer().eventsMade());
        }
    }

    @Test
    void anEventWhoseNativeEventMovedOnReportsCompleteAndOrdersWhatItDid() {
        try (CoreContext ctx = open(HazardMode.CHECK); Stream a = ctx.createStream(); Stream b = ctx.createStream();
                DeviceBuffer x = ctx.allocDevice(256)) {
            a.fill(x, 1);
            Event first = a.record();
            a.synchronize();
            Event second = a.record();      // the first one's native event, reused
            assertEquals(1, ctx.scope().sequencer().eventsMade());
            assertTrue(first.query());
            first.synchronize();
            assertTrue(first.onComplete().isDone() || first.onComplete().join() == null);
            b.waitFor(first);               // orders nothing new, and races with nothing
            b.fill(x, 2);
            b.synchronize();
            assertTrue(second.query());
            assertTrue(first.isRecorded());
        }
    }

    @Test
    void aRecordNotYetDoneGetsANativeEventOfItsOwn() {
        try (CoreContext ctx = open(HazardMode.CHECK); Stream a = ctx.createStream(); Stream b = ctx.createStream()) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            a.launch(spin, LaunchConfig.forElements(1), 200 * MS);
            Event pending = a.record();
            Event later = a.record();
            assertEquals(2, ctx.scope().sequencer().eventsMade(), "a pending record's native event was reused");
            assertFalse(pending.query(), "the spin is still running");
            b.waitFor(later);
            b.synchronize();
            assertTrue(pending.query());
            assertTrue(later.query());
        }
    }

    @Test
    void aWaitForARecordedEventOrdersTheWorkBeforeIt() {
        try (CoreContext ctx = open(HazardMode.CHECK); Stream a = ctx.createStream(); Stream b = ctx.createStream();
                DeviceBuffer x = ctx.allocDevice(256)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            a.launch(spin, LaunchConfig.forElements(1), 20 * MS);
            a.fill(x, 1);
            b.waitFor(a.record());
            b.fill(x, 2);                   // no hazard: ordered after a's fill
            b.synchronize();
            assertTrue(a.query());
        }
    }

    @Test
    void aClosedRecordedEventIsRefusedByName() {
        try (CoreContext ctx = open(HazardMode.CHECK); Stream a = ctx.createStream(); Stream b = ctx.createStream()) {
            Event e = a.record();
            e.close();
            assertFalse(e.isOpen());
            IllegalStateException ex = assertThrows(IllegalStateException.class, () -> b.waitFor(e));
            assertTrue(ex.getMessage().contains(e.name()) && ex.getMessage().contains("closed"), ex.getMessage());
            assertThrows(IllegalStateException.class, e::query);
            assertThrows(IllegalStateException.class, () -> a.record(e));
        }
    }

    @Test
    void aRecordedEventHasNoTimingAndSaysHowToGetIt() {
        try (CoreContext ctx = open(HazardMode.CHECK); Stream a = ctx.createStream()) {
            Event timed = ctx.createEvent(EnumSet.of(EventOption.TIMING));
            a.record(timed);
            Event untimed = a.record();
            IllegalStateException ex = assertThrows(IllegalStateException.class, () -> timed.elapsedSince(untimed));
            assertTrue(ex.getMessage().contains("without EventOption.TIMING") && ex.getMessage().contains(untimed.name()),
                    ex.getMessage());
            assertThrows(IllegalStateException.class, () -> untimed.elapsedSince(timed));
            timed.close();
        }
    }

    @Test
    void reRecordingARecordedEventMovesItToTheNewPoint() {
        try (CoreContext ctx = open(HazardMode.CHECK); Stream a = ctx.createStream()) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Event e = a.record();
            a.synchronize();
            assertTrue(e.query());
            a.launch(spin, LaunchConfig.forElements(1), 200 * MS);
            assertTrue(e == a.record(e));
            assertFalse(e.query(), "the event now marks the end of the spin");
            e.synchronize();
            assertTrue(e.query());
        }
    }

    @Test
    void aContextsCloseRefusesItsRecordedEvents() {
        CoreContext ctx = open(HazardMode.CHECK);
        Event e = ctx.defaultStream().record();
        ctx.close();
        assertFalse(e.isOpen());
        assertThrows(IllegalStateException.class, e::query);
    }
}
