package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Memory allocated and freed in stream order: reused from the pool, never mixed up. */
class StreamOrderedAllocConformanceTest {
    private static final int N = 1 << 16;

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void buffersAllocatedAgainAfterAStreamOrderedFreeHoldWhatEachIsGiven(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream(); HostBuffer h = ctx.allocHost(8L * N)) {
            for (int round = 0; round < 40; round++) {
                // two at once, so a reused buffer is never handed out twice
                try (DeviceBuffer a = ctx.allocAsync(4L * N, s); DeviceBuffer b = ctx.allocAsync(4L * N, s)) {
                    s.fill(a, (float) round);
                    s.fill(b, (float) -round);
                    s.copy(a, 0, h, 0, 4L * N);
                    s.copy(b, 0, h, 4L * N, 4L * N);
                    s.synchronize();
                    for (int i = 0; i < 2 * N; i += 997) {
                        assertEquals(i < N ? round : -round, h.getFloat(i), 0f, "round " + round + ", element " + i);
                    }
                }
            }
        }
    }
}
