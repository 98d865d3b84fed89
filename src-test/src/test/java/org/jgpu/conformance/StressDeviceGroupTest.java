package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.Event;
import org.jgpu.HazardMode;
import org.jgpu.Stream;
import org.jgpu.sim.Interconnect;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Closing one context of a device group while eight threads copy between its buffers and the
 * other devices', and wait for its events, is a clean cut: every racing call completes fully or
 * throws an IllegalStateException naming the closed context; a copy that returned has read the
 * closed device's data (its buffers were freed only after it); the other devices keep working.
 */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: the test bounds itself (Stress.bounded)
class StressDeviceGroupTest {
    private static final int THREADS = 8;
    private static final int N = 1024;
    private static final float VALUE = 7f;

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void closingOneDeviceOfAGroupWhileEightThreadsCopyToAndFromItIsACleanCut(String backend) {
        int rounds = Stress.scaled(30);
        Stress.bounded("device group close races (" + backend + ")", Stress.limit(40, 15), () -> {
            ExecutorService pool = StressRace.pool(THREADS);
            long accepted = 0;
            long refused = 0;
            Random random = new Random(31);
            try {
                for (int round = 0; round < rounds; round++) {
                    Stress.checkpoint();
                    // racing threads use the buffers unordered on purpose: hazard checks off
                    try (DeviceGroup g = DeviceGroup.open(Backend.groupOptions(backend, 3, Interconnect.PCIE)
                            .hazardMode(HazardMode.OFF).build(), 3)) {
                        Context closing = g.context(0);
                        DeviceBuffer src = closing.allocDevice(4L * N, "src");
                        DeviceBuffer sink = closing.allocDevice(4L * N, "sink");
                        Stream own = closing.createStream("own");
                        own.fill(src, VALUE);
                        Event mark = own.record();
                        own.synchronize();
                        Stream[] streams = new Stream[THREADS];
                        DeviceBuffer[] dst = new DeviceBuffer[THREADS];
                        for (int t = 0; t < THREADS; t++) {
                            Context c = g.context(1 + t % 2);
                            streams[t] = c.createStream("t" + t);
                            dst[t] = c.allocDevice(4L * N, "dst" + t);
                        }
                        StressRace race = new StressRace(closing.name());
                        race.run(pool, THREADS, random, (t, r) -> {
                            Stream s = streams[t];
                            switch (r.nextInt(5)) {
                                case 0: race.attempt("copy from the closing device", () -> s.copy(src, dst[t])); break;
                                case 1: race.attempt("copy to the closing device", () -> s.copy(dst[t], sink)); break;
                                case 2: race.attempt("wait for its event", () -> s.waitFor(mark)); break;
                                case 3: race.attempt("slice copy", () -> s.copy(src.slice(64, 256), dst[t].slice(0, 256))); break;
                                default: {
                                    float[] got = new float[N];
                                    // copy from the closing device, then read what arrived: all of it, or a refusal
                                    if (race.attempt("copy and read back", () -> {
                                        s.copy(src, dst[t]);
                                        s.copy(dst[t], got);
                                    })) {
                                        for (int i = 0; i < N; i++) {
                                            if (got[i] != VALUE) {
                                                race.problem("a copy from the closing device returned element " + i
                                                        + " = " + got[i]);
                                                break;
                                            }
                                        }
                                    }
                                    break;
                                }
                            }
                        }, closing::close, null);
                        assertEquals(List.of(), race.problems(), "round " + round);
                        accepted += race.accepted();
                        refused += race.refused();
                        // the other devices still work, and have the data every accepted copy brought
                        float[] back = new float[N];
                        streams[0].fill(dst[0], VALUE);
                        streams[0].copy(dst[0], back);
                        float[] expected = new float[N];
                        Arrays.fill(expected, VALUE);
                        assertEquals(Arrays.toString(expected), Arrays.toString(back));
                        g.synchronize();   // nothing failed on the devices: no copy met freed memory
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            Stress.report("device group close races %s: %d rounds, %d calls accepted and completed, %d refused naming "
                    + "the closed context", backend, rounds, accepted, refused);
        });
    }
}
