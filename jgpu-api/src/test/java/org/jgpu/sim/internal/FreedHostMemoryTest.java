package org.jgpu.sim.internal;

import org.jgpu.sim.KernelCall;
import org.jgpu.sim.EngineModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.jgpu.HostAllocOption;
import org.jgpu.LaunchConfig;
import org.jgpu.StreamOptions;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.NativeStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Freed host-backend memory lets go of its direct buffer: nothing in the backend can touch it
 * afterwards, and a buffer taken back from the stream-ordered pool belongs to its new owner only.
 */
class FreedHostMemoryTest {
    private final SimDevice dev = new SimDevice(EngineModel.DEFAULT, 0);
    private final NativeStream stream = dev.createStream(StreamOptions.builder().name("s").build());

    @AfterEach
    void close() {
        stream.destroy();
        dev.close();
    }

    private static void assertNamesFreedMemory(IllegalStateException e, String kind, long bytes) {
        String m = e.getMessage();
        assertTrue(m.contains(kind) && m.contains("(" + bytes + " bytes)") && m.contains("freed"), m);
    }

    @Test
    void freedDeviceMemoryCannotBeViewedAndSaysSo() {
        SimMemory m = (SimMemory) dev.allocDevice(64);
        m.view(0, 64).putInt(0, 1);
        m.free();
        assertEquals(64, m.size(), "the size is still known");
        assertNamesFreedMemory(assertThrows(IllegalStateException.class, () -> m.view(0, 4)), "device memory", 64);
        m.free();   // again: nothing to do
    }

    @Test
    void freedPinnedMemoryHasNoHostView() {
        SimMemory m = (SimMemory) dev.allocHost(32, EnumSet.of(HostAllocOption.MAPPED));
        m.hostView().put(0, (byte) 1);
        m.free();
        assertNamesFreedMemory(assertThrows(IllegalStateException.class, m::hostView), "pinned host memory", 32);
    }

    @Test
    void aTwinGivenFreedMemoryFailsNamingIt() {
        SimMemory m = (SimMemory) dev.allocDevice(16);
        m.free();
        KernelCall call = new SimKernelCall("scale", LaunchConfig.forElements(4), new Object[] {DevicePointer.of(m, 0, 16)});
        assertNamesFreedMemory(assertThrows(IllegalStateException.class, () -> call.floats(0)), "device memory", 16);
    }

    @Test
    void memoryFreedInStreamOrderIsReusedByItsNewOwnerOnly() {
        SimMemory first = (SimMemory) dev.allocAsync(256, stream);
        first.freeAsync(stream);
        stream.synchronize();
        assertThrows(IllegalStateException.class, () -> first.view(0, 4));
        SimMemory second = (SimMemory) dev.allocAsync(256, stream);
        ByteBuffer v = second.view(0, 256);
        v.putInt(0, 42);
        assertEquals(42, second.view(0, 4).getInt(0));
        assertThrows(IllegalStateException.class, () -> first.view(0, 4).putInt(0, 7),
                "the first owner's memory went to the pool and on to the second: the first may not write it");
        assertEquals(42, second.view(0, 4).getInt(0));
        first.free();   // a late free of the first owner takes nothing from the second
        assertEquals(EngineModel.DEFAULT.memoryBytes() - 256, dev.memoryInfo().freeBytes());
        second.free();
    }
}
