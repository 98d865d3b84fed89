package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.slf4j.LoggerFactory;

/** Closing waits for pending work, contexts close what they own, leaks are reported with their site. */
class LifetimeConformanceTest {
    private static final long SPIN = 40_000_000L;

    private static Kernel spin(Context ctx) {
        return ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingABufferWaitsForThePendingWorkThatUsesIt(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            HostBuffer h = ctx.allocHost(1 << 20);
            DeviceBuffer d = ctx.allocDevice(1 << 20);
            s.launch(spin(ctx), LaunchConfig.forElements(1), SPIN);
            s.copy(h, d);
            Event copied = s.record();
            d.close();
            assertTrue(copied.query(), "the device buffer was freed before the copy that used it finished");
            assertFalse(d.isOpen());
            h.close();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingAStreamWaitsForItsWork(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            s.launch(spin(ctx), LaunchConfig.forElements(1), SPIN);
            Event done = s.record();
            s.close();
            assertTrue(done.query());
            assertFalse(s.isOpen());
            s.close();   // twice is fine
            assertThrows(IllegalStateException.class, () -> ctx.defaultStream().close());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingTheContextWaitsThenClosesEverythingItOwns(String backend) {
        Context ctx = Backend.open(backend);
        Stream s = ctx.createStream();
        DeviceBuffer d = ctx.allocDevice(64);
        DeviceBuffer slice = d.slice(0, 8);
        HostBuffer h = ctx.allocHost(64);
        Event e = ctx.createEvent();
        KernelModule m = ctx.loadModule(ModuleSource.bundled());
        s.launch(m.kernel(BundledKernels.SPIN), LaunchConfig.forElements(1), SPIN);
        Event done = s.record();
        ctx.close();
        assertFalse(ctx.isOpen());
        for (boolean open : new boolean[] {s.isOpen(), d.isOpen(), slice.isOpen(), h.isOpen(), e.isOpen(), m.isOpen()}) {
            assertFalse(open);
        }
        IllegalStateException ex = assertThrows(IllegalStateException.class, done::query);
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
        ctx.close();   // twice is fine
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void streamOrderedMemoryIsUsableInStreamOrderAndFreedWithoutBlocking(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            Stream other = ctx.createStream();
            float[] data = {1, 2, 3, 4};
            DeviceBuffer d = ctx.allocUpload(data, s);
            assertTrue(d.isStreamOrdered());
            other.waitFor(s.record());
            other.launch(spin(ctx), LaunchConfig.forElements(1), SPIN);
            other.launch(ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE), LaunchConfig.forElements(4), d, 2f, 4);
            Event used = other.record();
            long t0 = System.nanoTime();
            d.close();   // ordered after other's use, on s
            long closeNanos = System.nanoTime() - t0;
            assertTrue(closeNanos < SPIN, "closing stream-ordered memory blocked for " + closeNanos / 1e6 + " ms");
            assertFalse(used.query(), "the use on the other stream should still be running");
            ctx.synchronize();
            DeviceBuffer e = ctx.allocUpload(data, s);
            float[] back = new float[4];
            s.copy(e, back);
            assertArrayEquals(data, back);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void memoryInfoAccountsForAllocations(String backend) {
        try (Context ctx = Backend.open(backend)) {
            long before = ctx.memoryInfo().freeBytes();
            long size = 64L << 20;
            DeviceBuffer d = ctx.allocDevice(size);
            long during = ctx.memoryInfo().freeBytes();
            assertTrue(before - during >= size * 9 / 10, "free went from " + before + " to " + during);
            d.close();
            assertTrue(ctx.memoryInfo().freeBytes() >= during + size * 9 / 10);
        }
    }

    private static void leakABuffer(Context ctx) {
        ctx.allocDevice(128, "leaky");
        ctx.defaultStream().record();   // library-managed event: released quietly, not a leak
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void anUnreachableOpenBufferIsReportedWithItsAllocationSite(String backend) throws Exception {
        Logger leaks = (Logger) LoggerFactory.getLogger("org.jgpu.leaks");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        leaks.addAppender(seen);
        // a deliberate leak: captured here, not printed
        ch.qos.logback.core.Appender<ILoggingEvent> console = leaks.getAppender("LEAKS");
        if (console != null) {
            leaks.detachAppender(console);
        }
        // the allocation site is recorded only when asked: a stack trace per allocation is costly
        try (Context ctx = Context.create(Backend.options(backend)
                .diagnostics(java.util.EnumSet.of(org.jgpu.Diagnostic.CALLER_FRAMES)).build())) {
            leakABuffer(ctx);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (seen.list.stream().noneMatch(e -> e.getFormattedMessage().contains("'leaky'"))
                    && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            List<ILoggingEvent> reports = List.copyOf(seen.list);
            ILoggingEvent report = reports.stream().filter(e -> e.getFormattedMessage().contains("'leaky'")).findFirst()
                    .orElseThrow(() -> new AssertionError("no leak report; saw " + reports));
            assertTrue(report.getFormattedMessage().contains("device buffer 'leaky' (128 bytes)"), report.getFormattedMessage());
            String site = report.getThrowableProxy().getStackTraceElementProxyArray()[0].toString()
                    + java.util.Arrays.toString(report.getThrowableProxy().getStackTraceElementProxyArray());
            assertTrue(site.contains("leakABuffer"), "the allocation site should be in the report: " + site);
            assertTrue(reports.stream().noneMatch(e -> e.getFormattedMessage().contains("event '")),
                    "events from record() are released quietly: " + reports);
            ctx.synchronize();
        } finally {
            leaks.detachAppender(seen);
            if (console != null) {
                leaks.addAppender(console);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theSharedDefaultContextIsOneAndCannotBeClosedByCallers() {
        Context a = Context.getDefault();
        assertSame(a, Context.getDefault());
        IllegalStateException e = assertThrows(IllegalStateException.class, a::close);
        assertTrue(e.getMessage().contains("shared"), e.getMessage());
        assertTrue(a.isOpen());
        try (DeviceBuffer d = a.allocDevice(16)) {
            a.defaultStream().fill(d, 0);
            a.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aHostPoolPinsOnDemandUpToItsCapacityAndRecyclesOnlyIdleBuffers(String backend) throws Exception {
        try (Context ctx = Backend.open(backend); org.jgpu.HostBufferPool pool = ctx.createHostPool(1 << 16, 2)) {
            Stream s = ctx.createStream();
            DeviceBuffer d = ctx.allocDevice(1 << 16);
            org.jgpu.HostBufferPool.Lease a = pool.acquire();
            org.jgpu.HostBufferPool.Lease b = pool.acquire();
            assertEquals(2, pool.pinned());
            assertTrue(a.buffer() != b.buffer());
            org.junit.jupiter.api.Assertions.assertNull(pool.acquire(java.time.Duration.ofMillis(50)), "capacity is 2");
            s.launch(spin(ctx), LaunchConfig.forElements(1), SPIN);
            s.copy(a.buffer(), d);
            Event uploaded = s.record();
            HostBuffer first = a.buffer();
            a.close();
            assertThrows(IllegalStateException.class, a::buffer);
            try (org.jgpu.HostBufferPool.Lease again = pool.acquire()) {
                assertSame(first, again.buffer(), "recycled, not pinned anew");
                assertTrue(uploaded.query(), "handed out again before its upload finished");
                again.buffer().write(0, new float[] {1});   // safe: no hazard
            }
            b.close();
            assertEquals(2, pool.pinned());
        }
    }
}
