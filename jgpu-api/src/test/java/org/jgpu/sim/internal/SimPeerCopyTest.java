package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.Diagnostic;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.Interconnect;
import org.jgpu.spi.Extensions;
import org.jgpu.trace.Engine;
import org.jgpu.trace.Span;
import org.jgpu.trace.Tracing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Copies between the host backend's simulated devices: the bytes, either way and on slices, and their time. */
class SimPeerCopyTest {

    static DeviceGroup group(EngineModel model, int devices) {
        return DeviceGroup.open(ContextOptions.builder().backend("host").configure(model).build(), devices);
    }

    static SimDevice device(Context ctx) {
        return ((SimStream) Extensions.nativeStream(ctx.defaultStream())).device();
    }

    static float[] ramp(int n, float base) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = base + i;
        }
        return a;
    }

    @ParameterizedTest
    @EnumSource(Interconnect.class)
    void aCopyPushedOrPulledMovesTheBytes(Interconnect link) {
        try (DeviceGroup g = group(EngineModel.builder().devices(4).interconnect(link).build(), 4)) {
            Context c0 = g.context(0);
            Context c2 = g.context(2);
            Stream s0 = c0.createStream();
            Stream s2 = c2.createStream();
            DeviceBuffer a = c0.allocDevice(4000);
            DeviceBuffer b = c2.allocDevice(4000);
            float[] data = ramp(1000, 1);
            s0.copy(data, a);
            s0.copy(a, b);                      // pushed: the stream's device is the source
            s2.waitFor(s0.record());
            float[] out = new float[1000];
            s2.copy(b, out);
            assertArrayEquals(data, out);

            float[] other = ramp(1000, -5000);
            s2.copy(other, b);
            s0.waitFor(s2.record());
            s0.copy(b, a);                      // pulled: the stream's device is the destination
            s0.copy(a, out);
            assertArrayEquals(other, out);
            assertTrue(device(c0).engineBusyNanos(Engine.COPY_PEER) > 0);
            assertEquals(0, device(c2).engineBusyNanos(Engine.COPY_PEER), "the stream's device's link carries both");
        }
    }

    @Test
    void copiesOfSlicesReadAndWriteOnlyTheirRanges() {
        try (DeviceGroup g = group(EngineModel.builder().devices(3).build(), 3)) {
            Context c1 = g.context(1);
            Context c2 = g.context(2);
            Stream s1 = c1.createStream();
            Stream s2 = c2.createStream();
            DeviceBuffer a = c1.allocDevice(4000);
            DeviceBuffer b = c2.allocDevice(4000);
            float[] src = ramp(1000, 1);
            float[] dst = ramp(1000, -2000);
            s1.copy(src, a);
            s2.copy(dst, b);
            s1.waitFor(s2.record());
            s1.copy(a, 40, b, 400, 800);                                     // a[10, 210) -> b[100, 300)
            s2.waitFor(s1.record());
            s2.copy(a.slice(3600, 400), b.slice(0, 400));                    // pulled: a[900, 1000) -> b[0, 100)
            s2.copy(b.slice(800, 40), 0, a.slice(2000, 400), 4, 36);         // pushed: b[200, 209) -> a[501, 510)
            s1.waitFor(s2.record());
            float[] outA = new float[1000];
            float[] outB = new float[1000];
            s1.copy(a, outA);
            s2.copy(b, outB);
            float[] wantB = dst.clone();
            System.arraycopy(src, 10, wantB, 100, 200);
            System.arraycopy(src, 900, wantB, 0, 100);
            float[] wantA = src.clone();
            System.arraycopy(wantB, 200, wantA, 501, 9);
            assertArrayEquals(wantB, outB);
            assertArrayEquals(wantA, outA);
        }
    }

    @Test
    void aPeerCopyHoldsTheLinkForTheModelledTime() {
        long bytes = 8_000_000;
        EngineModel model = EngineModel.builder().devices(2).peerBytesPerSecond(1e9).copyLatencyNanos(5_000).build();
        long modelled = model.peerCopyNanos(bytes);
        assertEquals(8_005_000, modelled);
        try (DeviceGroup g = group(model, 2)) {
            Context c0 = g.context(0);
            Context c1 = g.context(1);
            DeviceBuffer a = c0.allocDevice(bytes);
            DeviceBuffer b = c1.allocDevice(bytes);
            Stream s1 = c1.createStream();
            long t0 = System.nanoTime();
            s1.copy(a, b);
            s1.synchronize();
            long wall = System.nanoTime() - t0;
            long busy = device(c1).engineBusyNanos(Engine.COPY_PEER);
            assertTrue(busy >= modelled && busy < 3 * modelled, "busy " + busy + " ns, modelled " + modelled);
            assertTrue(wall >= modelled, "synchronize returned after " + wall + " ns, before the modelled end");
            assertEquals(0, device(c0).engineBusyNanos(Engine.COPY_PEER));
            assertEquals(0, device(c1).engineBusyNanos(Engine.COMPUTE), "a peer copy is not a copy within a device");
        }
    }

    @Test
    void aCopyStagedThroughTheHostTakesBothLegsAndIsSlowerThanAPeerCopy() {
        long bytes = 8_000_000;
        EngineModel peer = EngineModel.builder().devices(2).h2dBytesPerSecond(1e9).d2hBytesPerSecond(1e9)
                .peerBytesPerSecond(4e9).build();
        EngineModel staged = peer.toBuilder().interconnect(Interconnect.HOST).build();
        long peerBusy = busyOfOneCopy(peer, bytes);
        long stagedBusy = busyOfOneCopy(staged, bytes);
        assertTrue(stagedBusy >= staged.peerCopyNanos(bytes) && stagedBusy >= 16_000_000, "staged " + stagedBusy);
        assertTrue(stagedBusy > peerBusy, "staged " + stagedBusy + " ns, peer " + peerBusy + " ns");
    }

    private static long busyOfOneCopy(EngineModel model, long bytes) {
        try (DeviceGroup g = group(model, 2)) {
            DeviceBuffer a = g.context(0).allocDevice(bytes);
            DeviceBuffer b = g.context(1).allocDevice(bytes);
            Stream s0 = g.context(0).createStream();
            s0.copy(a, b);
            s0.synchronize();
            return device(g.context(0)).engineBusyNanos(Engine.COPY_PEER);
        }
    }

    @Test
    void theTimelineShowsAPeerCopyOnThePeerLink() {
        long bytes = 2_000_000;
        EngineModel model = EngineModel.builder().devices(2).interconnect(Interconnect.NVLINK).peerBytesPerSecond(1e9)
                .build();
        ContextOptions options = ContextOptions.builder().backend("host").configure(model)
                .diagnostics(EnumSet.of(Diagnostic.TIMELINE)).build();
        try (DeviceGroup g = DeviceGroup.open(options, 2); HostBuffer h = g.context(0).allocHost(bytes)) {
            DeviceBuffer a = g.context(0).allocDevice(bytes);
            DeviceBuffer b = g.context(1).allocDevice(bytes);
            Stream s0 = g.context(0).createStream();
            s0.copy(h, a);
            s0.copy(a, b);
            s0.synchronize();
            List<Span> peer = Tracing.timeline(g.context(0)).spans().stream()
                    .filter(s -> s.engine().equals(Engine.COPY_PEER.label())).toList();
            assertEquals(1, peer.size(), String.valueOf(peer));
            long span = peer.get(0).endNanos() - peer.get(0).startNanos();
            assertTrue(span >= model.peerCopyNanos(bytes) * 9 / 10, "span " + span + " ns");
        }
    }
}
