package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Graph;
import org.jgpu.HazardException;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Capture into a graph, replay it, and the clear errors for what would break a capture. */
class GraphConformanceTest {
    private static final int N = 1024;

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aCapturedGraphReplaysItsWorkInOrderEachLaunch(String backend) {
        try (Context ctx = Backend.open(backend); HostBuffer h = ctx.allocHost(4L * N); DeviceBuffer d = ctx.allocDevice(4L * N)) {
            Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            Stream s = ctx.createStream();
            float[] x = new float[N];
            for (int i = 0; i < N; i++) {
                x[i] = i;
            }
            s.copy(x, d);
            Graph g = s.capture(() -> {
                s.launch(scale, LaunchConfig.forElements(N), d, 2f, N);
                s.copy(d, h);
            });
            assertEquals(2, g.operationCount());
            float[] got = new float[N];
            s.copy(d, got);
            assertArrayEquals(x, got, "capturing ran nothing");
            for (int i = 0; i < 3; i++) {
                s.launch(g);
            }
            s.synchronize();
            h.read(0, got);
            for (int i = 0; i < N; i++) {
                assertEquals(8f * i, got[i]);
            }
            g.close();
            assertThrows(IllegalStateException.class, () -> s.launch(g));
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void waitingForAStreamDuringItsCaptureIsAClearErrorAndDiscardsTheCapture(String backend) {
        try (Context ctx = Backend.open(backend); DeviceBuffer d = ctx.allocDevice(64)) {
            Stream s = ctx.createStream(StreamOptions.builder().name("cap").build());
            for (Runnable bad : new Runnable[] {s::synchronize, s::query, s::onComplete, s::record, ctx::synchronize,
                    () -> s.copy(new float[4], d), () -> ctx.allocAsync(16, s)}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.capture(() -> {
                    s.fill(d, 0);
                    bad.run();
                }));
                assertTrue(e.getMessage().contains("capture") && e.getMessage().contains("'cap'"), e.getMessage());
            }
            s.fill(d, 1f);   // the stream works normally again
            s.synchronize();
            IllegalStateException nested = assertThrows(IllegalStateException.class,
                    () -> s.capture(() -> s.capture(() -> { })));
            assertTrue(nested.getMessage().contains("already capturing"), nested.getMessage());
            ctx.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void graphLaunchesAreHazardCheckedAndRefuseClosedBuffers(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Stream a = ctx.createStream(StreamOptions.builder().name("a").build());
            Stream b = ctx.createStream(StreamOptions.builder().name("b").build());
            DeviceBuffer d = ctx.allocDevice(64, "shared");
            DeviceBuffer other = ctx.allocDevice(64);
            Graph fill = a.capture(() -> a.fill(d, 3f));
            a.launch(fill);
            HazardException e = assertThrows(HazardException.class, () -> b.copy(d, other));
            assertTrue(e.getMessage().contains("launch graph"), e.getMessage());
            b.waitFor(a.record());
            b.copy(d, other);
            ctx.synchronize();
            d.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> a.launch(fill));
            assertTrue(closed.getMessage().contains("'shared'"), closed.getMessage());
        }
    }
}
