package org.jgpu.examples.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.BackendStatus;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardMode;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;

/** The null backend: found by name only, does nothing, and spins for its modelled launch cost. */
class NullBackendTest {

    @Test
    void isListedAsUsableButNeverChosenAutomatically() {
        BackendStatus status = Context.backends().stream().filter(b -> b.name().equals("null")).findFirst()
                .orElseThrow(() -> new AssertionError("null backend not registered: " + Context.backends()));
        assertTrue(status.usable(), status::toString);
        assertTrue(status.reason().contains("benchmarks"), status::reason);
        try (Context auto = Context.create(ContextOptions.builder().backend("auto").build())) {
            assertNotEquals("null", auto.device().backend());
        }
    }

    @Test
    void enqueuesReachTheBackendAsOneCountedCallEach() {
        try (Context ctx = NullContexts.open(HazardMode.CHECK, 0)) {
            assertEquals("null", ctx.device().backend());
            Stream s = ctx.createStream();
            Kernel saxpy = NullContexts.saxpy(ctx);
            DeviceBuffer x = ctx.allocDevice(NullContexts.BYTES);
            DeviceBuffer y = ctx.allocDevice(NullContexts.BYTES);
            HostBuffer h = ctx.allocHost(NullContexts.BYTES);
            long before = NullContexts.calls(s);
            s.copy(h, x);
            s.launch(saxpy, NullContexts.CONFIG, NullContexts.ALPHA, x, y, NullContexts.N);
            s.copy(y, h);
            assertEquals(3, NullContexts.calls(s) - before);
            assertTrue(s.query());
        }
    }

    @Test
    void hostBuffersHoldNoBytesAndSaySo() {
        try (Context ctx = NullContexts.open(HazardMode.OFF, 0); HostBuffer h = ctx.allocHost(16)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> h.putFloat(0, 1f));
            assertTrue(e.getMessage().contains("null backend"), e::getMessage);
        }
    }

    @Test
    void launchesAndRecordsSpinForTheModelledCost() {
        long cost = 200_000;
        try (Context ctx = NullContexts.open(HazardMode.OFF, cost)) {
            Stream s = ctx.createStream();
            Kernel saxpy = NullContexts.saxpy(ctx);
            Object[] args = {NullContexts.ALPHA, ctx.allocDevice(NullContexts.BYTES), ctx.allocDevice(NullContexts.BYTES),
                    NullContexts.N};
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                s.launch(saxpy, NullContexts.CONFIG, args);
            }
            s.record();
            assertTrue(System.nanoTime() - start >= 11 * cost, "11 calls took less than 11 x " + cost + " ns");
        }
    }

    @Test
    void refusesNegativeCostsAndOtherDevices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NullSettings(-1));
        assertTrue(e.getMessage().contains("launchNanos must be >= 0"), e::getMessage);
        assertThrows(IllegalArgumentException.class,
                () -> Context.create(ContextOptions.builder().backend("null").deviceOrdinal(1).build()));
    }
}
