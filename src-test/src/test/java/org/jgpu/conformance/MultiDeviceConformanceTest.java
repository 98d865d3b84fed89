package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.jgpu.BackendStatus;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.DeviceInfo;
import org.jgpu.DeviceTopology;
import org.jgpu.Event;
import org.jgpu.HazardException;
import org.jgpu.HazardMode;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.PeerRoute;
import org.jgpu.Stream;
import org.jgpu.sim.Interconnect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several devices in one process: listing them, copies between them (right bytes, both ways,
 * slices), waits on another device's events, and races across devices caught like any other.
 * The host backend simulates the devices; CUDA cases need two devices and skip saying so.
 */
class MultiDeviceConformanceTest {
    private static final int N = 4096;

    private static float[] ramp(int n, float base) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = base + i;
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void theHostBackendListsAsManyDevicesAsItsModelSaysWithPeerRoutes(int devices) {
        DeviceTopology t = Context.devices(Backend.groupOptions("host", devices, Interconnect.NVLINK).build());
        assertEquals("host", t.backend());
        assertEquals(devices, t.size());
        for (int i = 0; i < devices; i++) {
            DeviceInfo d = t.device(i);
            assertEquals(i, d.ordinal());
            assertTrue(d.simulated());
            assertTrue(d.totalMemoryBytes() > 0 && d.copyEngines() >= 1, d.toString());
            for (int j = 0; j < devices; j++) {
                assertEquals(i == j ? PeerRoute.SAME_DEVICE : PeerRoute.PEER, t.route(i, j), i + " -> " + j);
                assertEquals(i != j, t.canAccessPeer(i, j));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.route(0, devices));
        assertTrue(e.getMessage().contains(String.valueOf(devices)), e.getMessage());
    }

    @Test
    void devicesWithoutAPeerLinkAreListedAsStagedThroughTheHost() {
        DeviceTopology t = Context.devices(Backend.groupOptions("host", 2, Interconnect.HOST).build());
        assertEquals(PeerRoute.STAGED, t.route(0, 1));
        assertFalse(t.canAccessPeer(1, 0));
        try (DeviceGroup g = DeviceGroup.open(Backend.groupOptions("host", 2, Interconnect.HOST).build(), 2)) {
            assertEquals(PeerRoute.STAGED, g.route(g.context(0), g.context(1)));
            assertEquals(PeerRoute.SAME_DEVICE, g.route(g.context(1), g.context(1)));
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void devicesListsEveryDeviceTheBackendCounts(String backend) {
        DeviceTopology t = Context.devices(Backend.options(backend).build());
        BackendStatus status = Backend.status(backend);
        assertEquals(backend, t.backend());
        assertEquals(status.deviceCount(), t.size(), "as many as the probe found");
        for (DeviceInfo d : t.devices()) {
            assertFalse(d.name().isBlank());
            assertTrue(d.totalMemoryBytes() > 0 && d.copyEngines() >= 1 && d.maxThreadsPerBlock() > 0, d.toString());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void peerCopiesMoveTheRightBytesBothWaysAndBetweenSlices(String backend) {
        try (DeviceGroup g = Backend.group(backend, 2, HazardMode.CHECK)) {
            Context c0 = g.context(0);
            Context c1 = g.context(1);
            Stream s0 = c0.createStream("s0");
            Stream s1 = c1.createStream("s1");
            float[] data = ramp(N, 1f);
            DeviceBuffer a = c0.allocUpload(data, s0);
            DeviceBuffer b = c1.allocDevice(4L * N, "b");
            s0.copy(a, b);                                    // on the source's stream
            Event copied = s0.record();
            s1.waitFor(copied);
            assertArrayEquals(data, s1.download(b, new float[N]).join());

            DeviceBuffer back = c0.allocDevice(4L * N, "back");
            s0.copy(b, back);                                 // device 1 to 0, on the destination's stream
            assertArrayEquals(data, s0.download(back, new float[N]).join());

            // slices: floats [100, 200) of b onto floats [1000, 1100) of a, by device 1's stream
            s1.waitFor(s0.record());
            s1.copy(b.slice(400, 400), a.slice(4000, 400));
            s0.waitFor(s1.record());
            float[] expected = data.clone();
            System.arraycopy(data, 100, expected, 1000, 100);
            assertArrayEquals(expected, s0.download(a, new float[N]).join());
            g.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aStreamWaitsForAnotherDevicesEvent(String backend) {
        try (DeviceGroup g = Backend.group(backend, 2, HazardMode.CHECK)) {
            Context c0 = g.context(0);
            Context c1 = g.context(1);
            Stream s0 = c0.createStream("producer");
            Stream s1 = c1.createStream("consumer");
            Kernel spin = c0.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Kernel scale = c0.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            DeviceBuffer a = c0.allocUpload(ramp(N, 0f), s0);
            DeviceBuffer b = c1.allocDevice(4L * N, "b");
            s0.launch(spin, LaunchConfig.forElements(1), 20_000_000L);     // the producer is late
            s0.launch(scale, LaunchConfig.forElements(N), a, 2f, N);
            Event done = c0.createEvent();
            s0.record(done);
            s1.waitFor(done);                                          // c1's stream, c0's event
            s1.copy(a, b);
            float[] got = s1.download(b, new float[N]).join();
            for (int i = 0; i < N; i++) {
                assertEquals(2f * i, got[i], "element " + i);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aCopyFromAnotherDeviceWithoutAWaitIsAHazardNamingBothStreams(String backend) {
        try (DeviceGroup g = Backend.group(backend, 2, HazardMode.CHECK)) {
            Stream s0 = g.context(0).createStream("writer");
            Stream s1 = g.context(1).createStream("reader");
            DeviceBuffer a = g.context(0).allocDevice(4L * N, "grads");
            DeviceBuffer b = g.context(1).allocDevice(4L * N, "b");
            s0.fill(a, 0);
            HazardException e = assertThrows(HazardException.class, () -> s1.copy(a, b));
            assertEquals("device buffer 'grads'", e.buffer());
            assertEquals("writer", e.earlierStream());
            assertEquals("reader", e.laterStream());
            assertTrue(e.getMessage().contains("reader.waitFor(writer.record())"), e.getMessage());
            // the refused copy left nothing behind: with the wait it goes through
            s1.waitFor(s0.record());
            s1.copy(a, b);
            // and a peer write into b, by device 0's stream, races with device 1's later read
            s0.waitFor(s1.record());
            s0.copy(a, b);
            HazardException w = assertThrows(HazardException.class, () -> s1.download(b, new float[N]));
            assertEquals("writer", w.earlierStream());
            g.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void autoModeInsertsTheMissingWaitAcrossDevices(String backend) {
        try (DeviceGroup g = Backend.group(backend, 2, HazardMode.AUTO)) {
            Context c0 = g.context(0);
            Stream s0 = c0.createStream("writer");
            Stream s1 = g.context(1).createStream("reader");
            Kernel spin = c0.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            DeviceBuffer a = c0.allocDevice(4L * N, "a");
            DeviceBuffer b = g.context(1).allocDevice(4L * N, "b");
            float[] data = ramp(N, 5f);
            s0.launch(spin, LaunchConfig.forElements(1), 20_000_000L);
            s0.upload(data, a);
            s1.copy(a, b);                      // no waitFor: AUTO orders it after the upload
            assertArrayEquals(data, s1.download(b, new float[N]).join());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void objectsOfAContextOutsideTheGroupAreRefusedNamingTheFix(String backend) {
        try (DeviceGroup g = Backend.group(backend, 2, HazardMode.CHECK);
                Context alone = Context.create(Backend.options(backend).build())) {
            Stream s0 = g.context(0).createStream("s0");
            DeviceBuffer a = g.context(0).allocDevice(64, "a");
            DeviceBuffer outside = alone.allocDevice(64, "outside");
            IllegalArgumentException copy = assertThrows(IllegalArgumentException.class, () -> s0.copy(outside, a));
            assertTrue(copy.getMessage().contains("'outside'") && copy.getMessage().contains("DeviceGroup"),
                    copy.getMessage());
            Event foreign = alone.createStream().record();
            IllegalArgumentException wait = assertThrows(IllegalArgumentException.class, () -> s0.waitFor(foreign));
            assertTrue(wait.getMessage().contains("DeviceGroup"), wait.getMessage());
            // a host buffer serves its own device's copies only
            HostBuffer h1 = g.context(1).allocHost(64, "h1");
            IllegalArgumentException host = assertThrows(IllegalArgumentException.class, () -> s0.copy(h1, a));
            assertTrue(host.getMessage().contains("'h1'"), host.getMessage());
            // a record is made on a stream of the event's own device
            Event e1 = g.context(1).createEvent();
            assertThrows(IllegalArgumentException.class, () -> s0.record(e1));
            s0.fill(a, 0);
            g.synchronize();     // every object still works
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aCopyBetweenTwoOtherDevicesIsRefusedNamingTheStreamsToUse(String backend) {
        try (DeviceGroup g = Backend.group(backend, 3, HazardMode.CHECK)) {
            Stream s2 = g.context(2).createStream("s2");
            DeviceBuffer a = g.context(0).allocDevice(64, "a");
            DeviceBuffer b = g.context(1).allocDevice(64, "b");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s2.copy(a, b));
            assertTrue(e.getMessage().contains(g.context(2).name()) && e.getMessage().contains("stream of one of them"),
                    e.getMessage());
        }
    }

    @Test
    void openingAGroupChecksTheDevicesAskedFor() {
        var options = Backend.groupOptions("host", 2, Interconnect.PCIE).build();
        IllegalArgumentException many = assertThrows(IllegalArgumentException.class, () -> DeviceGroup.open(options, 3));
        assertTrue(many.getMessage().contains("3") && many.getMessage().contains("2"), many.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceGroup.open(options, 0));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> DeviceGroup.open(options, List.of(1, 1)));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceGroup.open(options, List.of(0, 2)));
        try (DeviceGroup g = DeviceGroup.open(options, List.of(1, 0))) {
            assertEquals(1, g.context(0).device().ordinal());
            assertEquals(0, g.context(1).device().ordinal());
            assertEquals(2, g.topology().size());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingOneContextWaitsForAnotherDevicesCopyOfItsBufferAndLeavesTheOthersWorking(String backend) {
        DeviceGroup g = Backend.group(backend, 2, HazardMode.CHECK);
        try {
            Context c0 = g.context(0);
            Context c1 = g.context(1);
            Stream s1 = c1.createStream("s1");
            Kernel spin = c1.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            float[] data = ramp(N, 3f);
            Stream s0 = c0.createStream("s0");
            DeviceBuffer a = c0.allocUpload(data, s0);
            DeviceBuffer b = c1.allocDevice(4L * N, "b");
            s1.waitFor(s0.record());
            s1.launch(spin, LaunchConfig.forElements(1), 30_000_000L);
            s1.copy(a, b);                     // reads c0's buffer later
            c0.close();                        // waits for that read before freeing a
            assertThrows(IllegalStateException.class, () -> s1.copy(a, b));
            assertArrayEquals(data, s1.download(b, new float[N]).join());
            assertTrue(g.isOpen());
        } finally {
            g.close();
        }
        assertFalse(g.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, g::synchronize);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        g.close();   // twice does nothing
    }

    @Test
    void theGroupListsItsContextsInOrder() {
        try (DeviceGroup g = Backend.group("host", 3, HazardMode.CHECK)) {
            assertEquals(3, g.size());
            assertEquals(Arrays.asList(g.context(0), g.context(1), g.context(2)), g.contexts());
            assertSame(g.context(2), g.contexts().get(2));
            // streams left unnamed are numbered across the group: a hazard between devices names two streams
            assertNotEquals(g.context(0).createStream().name(), g.context(1).createStream().name());
            try (Context alone = Context.create(Backend.options("host").build())) {
                assertThrows(IllegalArgumentException.class, () -> g.route(alone, g.context(0)));
            }
        }
    }
}
