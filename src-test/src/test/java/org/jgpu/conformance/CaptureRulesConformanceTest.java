package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Graph;
import org.jgpu.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What graph capture refuses, and how a failing capture body ends, the same on every backend. */
class CaptureRulesConformanceTest {

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void capturingTheLegacyDefaultStreamIsRefusedNamingItAndTheFix(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Stream legacy = ctx.defaultStream();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> legacy.capture(() -> { }));
            assertTrue(e.getMessage().contains("stream 'default'") && e.getMessage().contains("legacy default")
                    && e.getMessage().contains("createStream()"), e.getMessage());
            // nothing was started: the stream still works
            try (DeviceBuffer x = ctx.allocDevice(16)) {
                legacy.fill(x, 7);
                int[] back = new int[4];
                legacy.copy(x, back);
                assertEquals(7, back[3]);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aFailingCaptureBodyThrowsItsOwnExceptionAndLeavesTheStreamUsable(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream(); DeviceBuffer x = ctx.allocDevice(16)) {
            IllegalArgumentException body = new IllegalArgumentException("the body failed");
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> s.capture(() -> {
                s.fill(x, 1);
                throw body;
            }));
            assertSame(body, thrown);
            s.fill(x, 3);
            try (Graph g = s.capture(() -> s.fill(x, 5))) {
                s.launch(g);
            }
            int[] back = new int[4];
            s.copy(x, back);
            assertEquals(5, back[0]);
            ctx.synchronize();
        }
    }
}
