package org.jgpu.sim.internal;

import org.jgpu.sim.KernelCall;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.LaunchConfig;
import org.jgpu.spi.DevicePointer;
import org.junit.jupiter.api.Test;

/** A twin's size check holds also for counts whose byte size overflows a long. */
class KernelCallTest {
    @Test
    void anElementCountWhoseByteSizeWrapsIsRefused() {
        KernelCall call = new SimKernelCall("k", LaunchConfig.forElements(1), new Object[] {DevicePointer.of(null, 0, 64)});
        call.requireElements(0, 16, 4);
        // 2^62 floats are 2^64 bytes: the product wraps to 0
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> call.requireElements(0, 1L << 62, 4));
        assertTrue(e.getMessage().contains("18446744073709551616 bytes"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> call.requireElements(0, 17, 4));
    }
}
