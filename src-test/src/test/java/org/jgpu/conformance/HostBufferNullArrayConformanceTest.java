package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgpu.Context;
import org.jgpu.HostBuffer;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** A null array given to a host buffer's read or write names the argument. */
class HostBufferNullArrayConformanceTest {

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aNullArrayIsRefusedNamingTheArgument(String backend) {
        try (Context ctx = Backend.open(backend); HostBuffer h = ctx.allocHost(64, "h")) {
            List<Executable> calls = List.of(
                    () -> h.write(0, (byte[]) null), () -> h.read(0, (byte[]) null),
                    () -> h.write(0, (float[]) null), () -> h.read(0, (float[]) null),
                    () -> h.write(0, (int[]) null), () -> h.read(0, (int[]) null));
            for (Executable call : calls) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
                assertTrue(e.getMessage() != null && (e.getMessage().contains("src") || e.getMessage().contains("dst")),
                        String.valueOf(e.getMessage()));
            }
            h.write(0, new byte[64]);      // still usable
        }
    }
}
