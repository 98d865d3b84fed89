package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jgpu.GpuOutOfMemoryException;
import org.junit.jupiter.api.Test;

/** Pinned allocations: the 2 GiB - 1 limit before the driver is called, and zeroed contents. */
class PinnedAllocationTest {

    @Test
    void twoGiBOrMoreIsRefusedBeforeAnythingIsPinned() {
        for (long bytes : new long[] {Integer.MAX_VALUE + 1L, 3L << 30, 4L << 30, 5L << 30}) {
            List<Long> pinned = new ArrayList<>();
            GpuOutOfMemoryException e = assertThrows(GpuOutOfMemoryException.class,
                    () -> PinnedAllocation.pinZeroed(bytes, "device 0", b -> {
                        pinned.add(b);
                        return ByteBuffer.allocate(1);
                    }, b -> b, b -> { }));
            assertEquals(List.of(), pinned, "nothing may be pinned");
            assertEquals(bytes, e.requestedBytes());
            assertTrue(e.getMessage().contains("2147483647 bytes (2 GiB - 1)") && e.getMessage().contains("device 0")
                    && e.getMessage().contains("split the data over several pinned buffers") && e.getMessage().contains("" + bytes),
                    e.getMessage());
        }
    }

    @Test
    void theLargestBufferIsAllowed() {
        PinnedAllocation.checkSize(Integer.MAX_VALUE, "device 0");
    }

    @Test
    void pinnedMemoryComesBackZeroedWhateverItHeld() {
        ByteBuffer old = ByteBuffer.allocateDirect(200_000 + 7);
        while (old.hasRemaining()) {
            old.put((byte) 0x5a);
        }
        ByteBuffer got = PinnedAllocation.pinZeroed(old.capacity(), "device 0", b -> old, b -> b, b -> { });
        assertSame(old, got);
        byte[] all = new byte[got.capacity()];
        got.duplicate().clear().get(all);
        byte[] zeros = new byte[all.length];
        assertTrue(Arrays.equals(zeros, all), "every byte is zero");
    }

    @Test
    void aFailedZeroingUnpinsTheMemory() {
        List<String> unpinned = new ArrayList<>();
        assertThrows(UnsupportedOperationException.class, () -> PinnedAllocation.pinZeroed(16, "device 0", b -> "mem",
                b -> {
                    throw new UnsupportedOperationException("no view");
                }, unpinned::add));
        assertEquals(List.of("mem"), unpinned);
        assertFalse(unpinned.isEmpty());
    }
}
