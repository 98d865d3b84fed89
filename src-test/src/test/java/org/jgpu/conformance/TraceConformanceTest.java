package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Diagnostic;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.trace.ChromeTrace;
import org.jgpu.trace.Gantt;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;
import org.jgpu.trace.Tracing;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Timelines from timing events: spans per stream and engine, their overlap, and their exports. */
class TraceConformanceTest {

    private static Context traced(String backend) {
        return Context.create(Backend.options(backend).diagnostics(EnumSet.of(Diagnostic.TIMELINE)).build());
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void spansShowWhatRanWhereAndThatCopiesOverlapCompute(String backend) {
        try (Context ctx = traced(backend); HostBuffer h = ctx.allocHost(4 << 20); DeviceBuffer a = ctx.allocDevice(4 << 20);
                DeviceBuffer b = ctx.allocDevice(4 << 20)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream up = ctx.createStream(StreamOptions.builder().name("upload").build());
            Stream comp = ctx.createStream(StreamOptions.builder().name("compute").build());
            comp.launch(spin, LaunchConfig.forElements(1), 20_000_000L);
            up.copy(h, a);
            up.copy(h, b);
            ctx.synchronize();
            Timeline t = Tracing.timeline(ctx);
            assertEquals(3, t.spans().size(), t.spans().toString());
            assertEquals(List.of("compute", "upload"), List.copyOf(t.lanes()));
            Span kernel = t.spans().stream().filter(s -> s.op().equals("launch spin")).findFirst().orElseThrow();
            assertEquals("compute", kernel.engine());
            assertTrue(kernel.nanos() >= 19_000_000L, "spin span " + kernel);
            assertTrue(t.spans().stream().filter(s -> s.engine().equals("copy H2D")).count() == 2);
            assertTrue(t.overlapNanos() > 0, "the copies ran during the kernel");
            assertTrue(t.utilization("compute") > 0.5, t.utilizations().toString());
            String gantt = Gantt.render(t, 60);
            assertTrue(gantt.contains("upload") && gantt.contains("#") && gantt.contains("U"), gantt);
            String json = ChromeTrace.json(t);
            assertTrue(json.startsWith("{\"displayTimeUnit\"") && json.contains("\"ph\":\"X\"")
                    && json.contains("\"name\":\"launch spin\""), json);
            assertTrue(Tracing.timeline(ctx).spans().isEmpty(), "a second call returns only later work");
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aContextWithoutTimelineSaysHowToTraceIt(String backend) {
        try (Context ctx = Backend.open(backend)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tracing.timeline(ctx));
            assertTrue(e.getMessage().contains("Diagnostic.TIMELINE"), e.getMessage());
        }
    }
}
