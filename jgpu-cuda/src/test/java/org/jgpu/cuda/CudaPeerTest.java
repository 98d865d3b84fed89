package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.Dim3;
import org.jgpu.HazardMode;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.PeerRoute;
import org.jgpu.Stream;
import org.jgpu.spi.Availability;
import org.junit.jupiter.api.Test;

/** Two CUDA devices in one process: routes, peer copies on either device's stream, waits across devices. */
class CudaPeerTest {

    private static ContextOptions twoDevices(HazardMode mode) {
        Availability a = new CudaBackendProvider().probe();
        assumeTrue(a.usable(), () -> "cuda backend skipped: " + a.reason());
        assumeTrue(a.deviceCount() >= 2, () -> "needs 2 CUDA devices, found " + a.deviceCount());
        return ContextOptions.builder().backend("cuda").hazardMode(mode).build();
    }

    @Test
    void aGroupsRoutesAreTheListingsAndStayWhenAccessIsEnabledAgain() {
        ContextOptions o = twoDevices(HazardMode.CHECK);
        try (DeviceGroup g = DeviceGroup.open(o, 2)) {
            Context c0 = g.context(0);
            Context c1 = g.context(1);
            assertEquals(g.topology().route(0, 1), g.route(c0, c1));
            assertEquals(g.topology().route(1, 0), g.route(c1, c0));
            // a second group enables access again: already enabled counts as enabled
            try (DeviceGroup again = DeviceGroup.open(o, List.of(1, 0))) {
                assertEquals(g.route(c0, c1), again.route(again.context(1), again.context(0)));
            }
        }
    }

    @Test
    void copiesBetweenDevicesArriveOnAStreamOfEitherDeviceAtTheirOffsets() {
        try (DeviceGroup g = DeviceGroup.open(twoDevices(HazardMode.CHECK), 2)) {
            Context c0 = g.context(0);
            Context c1 = g.context(1);
            int n = (1 << 20) + 3;
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = i * 0.5f;
            }
            try (Stream s0 = c0.createStream(); Stream s1 = c1.createStream();
                    DeviceBuffer a0 = c0.allocDevice(4L * n); DeviceBuffer b1 = c1.allocDevice(4L * n);
                    DeviceBuffer c1Pulled = c1.allocDevice(4L * n)) {
                s0.copy(data, a0);
                s0.copy(a0, b1);                        // pushed on the source device's stream
                s1.waitFor(s0.record());
                float[] back = new float[n];
                s1.copy(b1, back);
                assertArrayEquals(data, back, "pushed from device 0 to device 1 (" + g.route(c0, c1) + ")");

                s1.copy(a0, 4, c1Pulled, 8, 4L * (n - 2));   // pulled on the destination's stream, at byte offsets
                float[] pulled = new float[n];
                s1.copy(c1Pulled, pulled);
                assertArrayEquals(Arrays.copyOfRange(data, 1, n - 1), Arrays.copyOfRange(pulled, 2, n),
                        "floats 1.. of device 0 at float 2 of device 1");
            }
        }
    }

    @Test
    void aStreamWaitsForAnEventRecordedOnAnotherDevice() {
        // hazard checks off: only the explicit wait orders device 1's copy after device 0's fill
        try (DeviceGroup g = DeviceGroup.open(twoDevices(HazardMode.OFF), 2)) {
            Context c0 = g.context(0);
            Context c1 = g.context(1);
            int n = 1 << 16;
            try (Stream s0 = c0.createStream(); Stream s1 = c1.createStream();
                    DeviceBuffer a0 = c0.allocDevice(4L * n); DeviceBuffer b1 = c1.allocDevice(4L * n)) {
                s0.fill(a0, 0);
                s0.synchronize();
                var spin = c0.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
                s0.launch(spin, LaunchConfig.of(Dim3.of(1), Dim3.of(1)), 300_000_000L);   // 300 ms before the fill
                s0.fill(a0, 7);
                s1.waitFor(s0.record());
                s1.copy(a0, b1);                         // would read zeros without the wait
                int[] back = new int[n];
                s1.copy(b1, back);
                int[] sevens = new int[n];
                Arrays.fill(sevens, 7);
                assertArrayEquals(sevens, back);
            }
        }
    }

    @Test
    void allReduceSumLeavesTheSumOnBothDevices() {
        try (DeviceGroup g = DeviceGroup.open(twoDevices(HazardMode.CHECK), 2)) {
            int n = 100_003;
            try (Stream s0 = g.context(0).createStream(); Stream s1 = g.context(1).createStream();
                    DeviceBuffer a = g.context(0).allocDevice(4L * n); DeviceBuffer b = g.context(1).allocDevice(4L * n)) {
                float[] x = new float[n];
                float[] y = new float[n];
                float[] sum = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = i;
                    y[i] = 0.25f * i;
                    sum[i] = x[i] + y[i];
                }
                s0.copy(x, a);
                s1.copy(y, b);
                g.allReduceSum(List.of(a, b), List.of(s0, s1));
                float[] got0 = new float[n];
                float[] got1 = new float[n];
                s0.copy(a, got0);
                s1.copy(b, got1);
                assertArrayEquals(sum, got0, "device 0");
                assertArrayEquals(sum, got1, "device 1");
            }
        }
    }

    @Test
    void theRouteBetweenContextsOfOneDeviceIsTheSameDevice() {
        Availability a = new CudaBackendProvider().probe();
        assumeTrue(a.usable(), () -> "cuda backend skipped: " + a.reason());
        CudaBackendProvider p = new CudaBackendProvider();
        ContextOptions o = ContextOptions.builder().backend("cuda").build();
        CudaDevice first = (CudaDevice) p.open(o);
        try {
            CudaDevice second = (CudaDevice) p.open(o);
            try {
                assertEquals(PeerRoute.SAME_DEVICE, first.peerRoute(second));
            } finally {
                second.close();
            }
        } finally {
            first.close();
        }
    }
}
