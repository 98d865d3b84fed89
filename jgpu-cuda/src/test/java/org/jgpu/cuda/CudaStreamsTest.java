package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcuda.driver.CUstream;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Stream;
import org.jgpu.cuda.driver.StreamInterop;
import org.junit.jupiter.api.Test;

/** JCuda handles and jgpu streams: the address round trip (Java only) and the refusals without a device. */
class CudaStreamsTest {

    @Test
    void aCustreamAddressSurvivesTheRoundTrip() {
        long address = 0x7f12_3456_7890L;
        CUstream s = StreamInterop.stream(address);
        assertEquals(address, StreamInterop.address(s));
        assertTrue(s.toString().contains(Long.toHexString(address)), s.toString());
        assertEquals(0L, StreamInterop.address(new CUstream()));
    }

    @Test
    void aHostContextIsRefusedByName() {
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build())) {
            Stream s = ctx.createStream();
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                    () -> CudaStreams.borrow(ctx, new CUstream(), "x"));
            assertTrue(b.getMessage().contains(ctx.name()) && b.getMessage().contains("host backend"), b.getMessage());
            IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> CudaStreams.handleOf(s));
            assertTrue(h.getMessage().contains("'" + s.name() + "'"), h.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CudaStreams.borrow(ctx, null, "x"));
            assertThrows(IllegalArgumentException.class, () -> CudaStreams.handleOf(null));
        }
    }
}
