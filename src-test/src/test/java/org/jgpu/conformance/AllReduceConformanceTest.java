package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.HazardException;
import org.jgpu.HazardMode;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@link DeviceGroup#allReduceSum}: the sum on every device, for 1 to 4 simulated devices and
 * sizes that do not split evenly; ordered after earlier work and before later work on each
 * stream, in CHECK mode (so the ring's own orderings are complete); refusals that name the argument.
 */
class AllReduceConformanceTest {

    /** Device d's value at element i: different on every device, exact in float sums. */
    private static float value(int d, int i) {
        return (d + 1) * 1000f + (i % 977);
    }

    private static void assertSums(DeviceGroup g, List<DeviceBuffer> buffers, List<Stream> streams, int devices,
            int elements) {
        float[] expected = new float[elements];
        for (int i = 0; i < elements; i++) {
            for (int d = 0; d < devices; d++) {
                expected[i] += value(d, i);
            }
        }
        for (int d = 0; d < devices; d++) {
            assertArrayEquals(expected, streams.get(d).download(buffers.get(d), new float[elements]).join(),
                    "device " + d + " of " + devices);
        }
    }

    private static List<Stream> streams(DeviceGroup g) {
        List<Stream> s = new ArrayList<>();
        for (int d = 0; d < g.size(); d++) {
            s.add(g.context(d).createStream("ring" + d));
        }
        return s;
    }

    private static List<DeviceBuffer> filled(DeviceGroup g, List<Stream> streams, int elements) {
        List<DeviceBuffer> b = new ArrayList<>();
        for (int d = 0; d < g.size(); d++) {
            float[] v = new float[elements];
            for (int i = 0; i < elements; i++) {
                v[i] = value(d, i);
            }
            b.add(g.context(d).allocUpload(v, streams.get(d)));
        }
        return b;
    }

    @ParameterizedTest
    @CsvSource({"1, 1000", "2, 1000", "3, 1001", "4, 4096", "4, 3", "4, 1", "3, 65537"})
    void everyDeviceEndsWithTheElementwiseSum(int devices, int elements) {
        try (DeviceGroup g = Backend.group("host", devices, HazardMode.CHECK)) {
            List<Stream> streams = streams(g);
            List<DeviceBuffer> buffers = filled(g, streams, elements);
            g.allReduceSum(buffers, streams);
            assertSums(g, buffers, streams, devices, elements);
            g.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void theSumWaitsForEarlierWorkAndLaterWorkSeesIt(String backend) {
        int n = 10_000;
        try (DeviceGroup g = Backend.group(backend, 2, HazardMode.CHECK)) {
            List<Stream> streams = streams(g);
            List<DeviceBuffer> buffers = filled(g, streams, n);
            // device 1's values are late and then doubled: the sum must see the doubled ones
            Context c1 = g.context(1);
            Kernel spin = c1.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Kernel scale = c1.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            streams.get(1).launch(spin, LaunchConfig.forElements(1), 20_000_000L);
            streams.get(1).launch(scale, LaunchConfig.forElements(n), buffers.get(1), 2f, n);
            g.allReduceSum(buffers, streams);
            // later work on device 0 changes its copy only after the sum is complete everywhere
            streams.get(0).fill(buffers.get(0), 0);
            float[] one = streams.get(1).download(buffers.get(1), new float[n]).join();
            for (int i = 0; i < n; i++) {
                assertEquals(value(0, i) + 2 * value(1, i), one[i], "element " + i);
            }
            g.synchronize();
        }
    }

    @Test
    void aRaceOnOneBufferIsRefusedBeforeAnyBufferIsChanged() {
        int n = 3000;
        try (DeviceGroup g = Backend.group("host", 3, HazardMode.CHECK)) {
            List<Stream> streams = streams(g);
            List<DeviceBuffer> buffers = filled(g, streams, n);
            g.synchronize();
            // device 1's buffer is being written on another of its streams, unordered with ring1
            Stream other = g.context(1).createStream("other");
            other.fill(buffers.get(1), 1f);
            HazardException e = assertThrows(HazardException.class, () -> g.allReduceSum(buffers, streams));
            assertEquals("other", e.earlierStream());
            assertEquals("ring1", e.laterStream());
            g.synchronize();
            float[] zero = streams.get(0).download(buffers.get(0), new float[n]).join();
            for (int i = 0; i < n; i++) {
                assertEquals(value(0, i), zero[i], "device 0's buffer is untouched at element " + i);
            }
            // ordered after the fill, it goes through
            for (Stream s : streams) {
                s.waitFor(other.record());
            }
            g.allReduceSum(buffers, streams);
            float[] two = streams.get(2).download(buffers.get(2), new float[n]).join();
            for (int i = 0; i < n; i++) {
                assertEquals(value(0, i) + 1f + value(2, i), two[i], "element " + i);
            }
        }
    }

    @Test
    void twoAllReducesInARowOnTheSameBuffersAddUp() {
        int n = 5000;
        try (DeviceGroup g = Backend.group("host", 4, HazardMode.CHECK)) {
            List<Stream> streams = streams(g);
            List<DeviceBuffer> buffers = filled(g, streams, n);
            g.allReduceSum(buffers, streams);
            g.allReduceSum(buffers, streams);
            float[] got = streams.get(3).download(buffers.get(3), new float[n]).join();
            for (int i = 0; i < n; i++) {
                float sum = value(0, i) + value(1, i) + value(2, i) + value(3, i);
                assertEquals(4 * sum, got[i], "element " + i);
            }
        }
    }

    @Test
    void groupsReduceFromSeveralThreadsAtOnce() throws Exception {
        int n = 2048;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (DeviceGroup g = Backend.group("host", 3, HazardMode.CHECK)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    List<Stream> streams = streams(g);
                    List<DeviceBuffer> buffers = filled(g, streams, n);
                    for (int round = 0; round < 5; round++) {
                        g.allReduceSum(buffers, streams);
                    }
                    float[] got = streams.get(0).download(buffers.get(0), new float[n]).join();
                    float sum = value(0, 7) + value(1, 7) + value(2, 7);
                    assertEquals(sum * 81, got[7]);    // each round triples the sum: 3^4 after the first
                    for (Stream s : streams) {
                        s.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            g.synchronize();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreRefusedNamingThemAndLeaveTheGroupWorking() {
        try (DeviceGroup g = Backend.group("host", 2, HazardMode.CHECK)) {
            List<Stream> streams = streams(g);
            List<DeviceBuffer> buffers = filled(g, streams, 100);
            IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                    () -> g.allReduceSum(buffers.subList(0, 1), streams));
            assertTrue(few.getMessage().contains("buffers") && few.getMessage().contains("2"), few.getMessage());
            IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
                    () -> g.allReduceSum(List.of(buffers.get(1), buffers.get(0)), streams));
            assertTrue(swapped.getMessage().contains("buffers[0]"), swapped.getMessage());
            DeviceBuffer odd = g.context(1).allocDevice(400 + 4, "odd");
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                    () -> g.allReduceSum(List.of(buffers.get(0), odd), streams));
            assertTrue(size.getMessage().contains("'odd'") || size.getMessage().contains("odd"), size.getMessage());
            DeviceBuffer bytes = g.context(0).allocDevice(6, "six");
            DeviceBuffer bytes2 = g.context(1).allocDevice(6, "six2");
            IllegalArgumentException floats = assertThrows(IllegalArgumentException.class,
                    () -> g.allReduceSum(List.of(bytes, bytes2), streams));
            assertTrue(floats.getMessage().contains("floats"), floats.getMessage());
            g.allReduceSum(buffers, streams);
            assertSums(g, buffers, streams, 2, 100);
        }
        DeviceGroup closed = Backend.group("host", 2, HazardMode.CHECK);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.allReduceSum(List.of(), List.of()));
    }
}
