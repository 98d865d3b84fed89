package org.jgpu.sim.internal;

import org.jgpu.sim.EngineModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.function.LongFunction;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.GpuOutOfMemoryException;
import org.jgpu.HostAllocOption;
import org.jgpu.MemoryInfo;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.junit.jupiter.api.Test;

/**
 * Allocations the host backend cannot serve are {@link GpuOutOfMemoryException}s with the
 * requested and free bytes, whatever is already allocated, and change no accounting.
 */
class SimMemoryLimitsTest {
    private static final long MIB = 1L << 20;
    private static final long ONE_BUFFER = Integer.MAX_VALUE;
    private static final long[] TOO_LARGE = {Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 62, 1L << 40, 16 * MIB, MIB + 1};

    private static Context context(long memoryBytes) {
        EngineModel model = EngineModel.builder().memoryBytes(memoryBytes).build();
        return Context.create(ContextOptions.builder().backend("host").configure(model).build());
    }

    /** Asks for each size in {@link #TOO_LARGE} with 1 MiB of 16 free, and expects refusals that change nothing. */
    private static void refusesEveryTooLargeSize(Context ctx, LongFunction<?> alloc) {
        MemoryInfo before = ctx.memoryInfo();
        assertEquals(MIB, before.freeBytes());
        for (long bytes : TOO_LARGE) {
            GpuOutOfMemoryException e = assertThrows(GpuOutOfMemoryException.class, () -> alloc.apply(bytes),
                    "allocating " + bytes + " bytes with 1 MiB free");
            assertEquals(bytes, e.requestedBytes());
            assertEquals(MIB, e.freeBytes());
            assertTrue(e.getMessage().contains("requested " + bytes + " bytes, " + MIB + " bytes free"), e.getMessage());
            assertEquals(before, ctx.memoryInfo(), "a refused allocation of " + bytes + " changed the accounting");
        }
    }

    @Test
    void allocDevicePastFreeMemoryIsOutOfMemoryWhateverIsAllocated() {
        try (Context ctx = context(16 * MIB); DeviceBuffer held = ctx.allocDevice(15 * MIB)) {
            refusesEveryTooLargeSize(ctx, ctx::allocDevice);
            try (DeviceBuffer rest = ctx.allocDevice(MIB)) {
                assertEquals(0, ctx.memoryInfo().freeBytes());
            }
            assertEquals(MIB, ctx.memoryInfo().freeBytes());
        }
    }

    @Test
    void allocAsyncPastFreeMemoryIsOutOfMemoryAndLeavesThePoolAsItWas() {
        try (Context ctx = context(16 * MIB); Stream s = ctx.createStream(); DeviceBuffer held = ctx.allocDevice(14 * MIB)) {
            ctx.allocAsync(MIB, s).close();   // freed in stream order: into the pool
            s.synchronize();
            DeviceBuffer other = ctx.allocAsync(MIB, s);
            refusesEveryTooLargeSize(ctx, bytes -> ctx.allocAsync(bytes, s));
            other.close();
            s.synchronize();
            try (DeviceBuffer again = ctx.allocAsync(MIB, s); DeviceBuffer last = ctx.allocAsync(MIB, s)) {
                s.fill(again, 7);
                s.fill(last, 0);
                s.synchronize();
                assertEquals(0, ctx.memoryInfo().freeBytes());
            }
            s.synchronize();
            assertEquals(2 * MIB, ctx.memoryInfo().freeBytes());
        }
    }

    @Test
    void aDeviceAllocationLargerThanOneBufferIsOutOfMemoryNamingTheLimit() {
        try (Context ctx = context(8L << 30); Stream s = ctx.createStream()) {
            MemoryInfo before = ctx.memoryInfo();
            for (long bytes : new long[] {ONE_BUFFER + 1, 3L << 30}) {
                GpuOutOfMemoryException e = assertThrows(GpuOutOfMemoryException.class, () -> ctx.allocDevice(bytes));
                assertEquals(bytes, e.requestedBytes());
                assertEquals(before.freeBytes(), e.freeBytes());
                assertTrue(e.getMessage().contains(String.valueOf(ONE_BUFFER)) && e.getMessage().contains(String.valueOf(bytes)),
                        "names the request and the limit: " + e.getMessage());
                e = assertThrows(GpuOutOfMemoryException.class, () -> ctx.allocAsync(bytes, s));
                assertTrue(e.getMessage().contains(String.valueOf(ONE_BUFFER)), e.getMessage());
                assertEquals(before, ctx.memoryInfo());
            }
            ctx.allocDevice(MIB).close();
        }
    }

    @Test
    void aPinnedAllocationLargerThanOneBufferIsOutOfMemoryNamingTheLimit() {
        try (Context ctx = context(16 * MIB)) {
            for (long bytes : new long[] {ONE_BUFFER + 1, 1L << 40, Long.MAX_VALUE}) {
                GpuOutOfMemoryException e = assertThrows(GpuOutOfMemoryException.class,
                        () -> ctx.allocHost(bytes, EnumSet.of(HostAllocOption.MAPPED)));
                assertEquals(bytes, e.requestedBytes());
                assertTrue(e.getMessage().contains(String.valueOf(ONE_BUFFER)) && e.getMessage().contains(String.valueOf(bytes)),
                        "names the request and the limit: " + e.getMessage());
            }
            ctx.allocHost(MIB).close();
        }
    }

    @Test
    void memoryInfoNeverShowsMoreFreeThanTotalEvenIfMemoryIsFreedTwice() {
        SimDevice dev = new SimDevice(EngineModel.builder().memoryBytes(16 * MIB).build(), 0);
        try {
            NativeMemory m = dev.allocDevice(MIB);
            assertEquals(15 * MIB, dev.memoryInfo().freeBytes());
            m.free();
            m.free();
            assertEquals(new MemoryInfo(16 * MIB, 16 * MIB), dev.memoryInfo());
            NativeStream s = dev.createStream(StreamOptions.builder().build());
            NativeMemory async = dev.allocAsync(MIB, s);
            async.free();
            async.free();
            assertEquals(new MemoryInfo(16 * MIB, 16 * MIB), dev.memoryInfo());
            s.destroy();
        } finally {
            dev.close();
        }
    }
}
