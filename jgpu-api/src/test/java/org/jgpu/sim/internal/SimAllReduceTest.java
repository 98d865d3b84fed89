package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.Stream;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.Interconnect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The group's ring all-reduce on simulated devices leaves the element-wise sum on every device. */
class SimAllReduceTest {

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (int devices = 1; devices <= 4; devices++) {
            for (int floats : new int[] {1, 3, 4, 1001, 4096}) {
                all.add(Arguments.of(devices, floats, Interconnect.PCIE));
            }
        }
        all.add(Arguments.of(4, 1001, Interconnect.NVLINK));
        all.add(Arguments.of(3, 1001, Interconnect.HOST));
        all.add(Arguments.of(4, 3, Interconnect.HOST));
        return all;
    }

    @ParameterizedTest(name = "{0} devices, {1} floats, {2}")
    @MethodSource("cases")
    void everyDeviceEndsWithTheSum(int devices, int floats, Interconnect link) {
        EngineModel model = EngineModel.builder().devices(4).interconnect(link).build();
        try (DeviceGroup g = SimPeerCopyTest.group(model, devices)) {
            List<DeviceBuffer> buffers = new ArrayList<>();
            List<Stream> streams = new ArrayList<>();
            float[] sum = new float[floats];
            for (int d = 0; d < devices; d++) {
                Context c = g.context(d);
                Stream s = c.createStream();
                // whole numbers well below 2^24: the sum is exact in any order
                float[] data = new float[floats];
                for (int i = 0; i < floats; i++) {
                    data[i] = (d + 1) * 10_000 + i * (d % 2 == 0 ? 1 : -3);
                    sum[i] += data[i];
                }
                buffers.add(c.allocUpload(data, s));
                streams.add(s);
            }
            g.allReduceSum(buffers, streams);
            for (int d = 0; d < devices; d++) {
                float[] out = new float[floats];
                streams.get(d).copy(buffers.get(d), out);
                assertArrayEquals(sum, out, "device " + d);
            }
            g.synchronize();
        }
    }

    /** Rounds back to back, each on the previous round's buffers: any step out of order shows in a sum. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("links")
    void roundsBackToBackStayInOrder(Interconnect link) {
        int devices = 4;
        int floats = 1001;
        EngineModel model = EngineModel.builder().devices(devices).interconnect(link).build();
        try (DeviceGroup g = SimPeerCopyTest.group(model, devices)) {
            List<DeviceBuffer> buffers = new ArrayList<>();
            List<Stream> streams = new ArrayList<>();
            float[] want = new float[floats];
            for (int d = 0; d < devices; d++) {
                Stream s = g.context(d).createStream();
                float[] data = new float[floats];
                for (int i = 0; i < floats; i++) {
                    data[i] = (i % 7) + d;
                    want[i] += data[i];
                }
                buffers.add(g.context(d).allocUpload(data, s));
                streams.add(s);
            }
            for (int round = 0; round < 5; round++) {
                g.allReduceSum(buffers, streams);
                if (round > 0) {
                    for (int i = 0; i < floats; i++) {
                        want[i] *= devices;     // every device holds the same sum: the next round multiplies it
                    }
                }
            }
            for (int d = 0; d < devices; d++) {
                float[] out = new float[floats];
                streams.get(d).copy(buffers.get(d), out);
                assertArrayEquals(want, out, "device " + d);
            }
        }
    }

    static Interconnect[] links() {
        return Interconnect.values();
    }
}
