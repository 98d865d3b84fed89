package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.GpuOutOfMemoryException;
import org.jgpu.MemoryInfo;
import org.jgpu.Stream;
import org.jgpu.sim.EngineModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Filling the device until it is full, again and again: running out is always a
 * GpuOutOfMemoryException saying how much was asked for and how much was free, memoryInfo()
 * never shows more free than total, and everything freed can be allocated again.
 */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: each test bounds itself (Stress.bounded)
class StressMemoryTest {
    /** The host backend's simulated device: small, so that filling it is quick. */
    private static final long HOST_MEMORY = 128L << 20;

    private static ContextOptions options(String backend) {
        ContextOptions.Builder b = Backend.options(backend);
        if (backend.equals("host")) {
            b.configure(EngineModel.builder().concurrentKernels(8).memoryBytes(HOST_MEMORY).build());
        }
        return b.build();
    }

    /** One allocation call that may run out. */
    @FunctionalInterface
    private interface Alloc {
        DeviceBuffer alloc(long bytes);
    }

    private static void checkInfo(MemoryInfo m, String when) {
        assertTrue(m.freeBytes() >= 0 && m.freeBytes() <= m.totalBytes(), "memoryInfo " + when + ": " + m.freeBytes()
                + " bytes free of " + m.totalBytes());
    }

    /**
     * Allocates chunks of 1/100 to 1/30 of the device until it refuses one.
     *
     * @return the buffers allocated
     */
    private static List<DeviceBuffer> fill(Context ctx, Alloc alloc, Random r, String what) {
        long total = ctx.memoryInfo().totalBytes();
        List<DeviceBuffer> held = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            long bytes = total / 100 + (long) (r.nextDouble() * (total / 30 - total / 100));
            try {
                held.add(alloc.alloc(bytes));
            } catch (GpuOutOfMemoryException e) {
                assertEquals(bytes, e.requestedBytes(), what + ": requestedBytes");
                assertTrue(e.freeBytes() >= 0 && e.freeBytes() <= total, what + ": freeBytes " + e.freeBytes() + " of "
                        + total);
                assertTrue(e.getMessage().contains(String.valueOf(bytes)) && e.getMessage().contains(
                        String.valueOf(e.freeBytes())), what + ": the message should give the requested and free bytes: "
                        + e.getMessage());
                checkInfo(ctx.memoryInfo(), "when " + what + " ran out");
                return held;
            } catch (RuntimeException | Error e) {
                throw new AssertionError(what + " of " + bytes + " bytes threw " + e.getClass().getName()
                        + ", not GpuOutOfMemoryException: " + e, e);
            }
            checkInfo(ctx.memoryInfo(), "after " + held.size() + " allocations of " + what);
        }
        throw new AssertionError(what + ": 1000 allocations of at least 1/100 of the device each did not fill it");
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void runningOutOfDeviceMemoryIsAlwaysTypedAndEverythingFreedIsUsableAgain(String backend) {
        int rounds = Stress.scaled(5);
        Stress.bounded("memory pressure (" + backend + ")", Stress.limit(60, 10), () -> {
            Random r = new Random(31);
            try (Context ctx = Context.create(options(backend))) {
                Stream s = ctx.createStream();
                long freeAtStart = ctx.memoryInfo().freeBytes();
                int filled = 0;
                for (int round = 0; round < rounds; round++) {
                    Stress.checkpoint();
                    for (String mode : List.of("allocDevice", "allocAsync")) {
                        Alloc alloc = mode.equals("allocDevice") ? ctx::allocDevice : bytes -> ctx.allocAsync(bytes, s);
                        List<DeviceBuffer> held = fill(ctx, alloc, r, mode);
                        filled += held.size();
                        // what was allocated works: the last buffer takes a fill
                        DeviceBuffer last = held.get(held.size() - 1);
                        s.fill(last, (byte) round);
                        byte[] b = new byte[16];
                        s.copy(last.slice(last.size() - 16, 16), b);
                        assertEquals((byte) round, b[15]);
                        for (DeviceBuffer d : held) {
                            d.close();
                        }
                        s.synchronize();
                        ctx.synchronize();
                        checkInfo(ctx.memoryInfo(), "after freeing");
                        long free = ctx.memoryInfo().freeBytes();
                        assertTrue(free >= freeAtStart - freeAtStart / 10, mode + ", round " + round + ": " + free
                                + " bytes free after freeing everything, " + freeAtStart + " at the start");
                    }
                }
                // four threads running out at once
                ExecutorService four = Executors.newFixedThreadPool(4);
                try {
                    List<Future<List<DeviceBuffer>>> all = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        long seed = 100 + t;
                        all.add(four.submit(() -> fill(ctx, ctx::allocDevice, new Random(seed), "allocDevice from 4 threads")));
                    }
                    for (Future<List<DeviceBuffer>> f : all) {
                        for (DeviceBuffer d : f.get(60, TimeUnit.SECONDS)) {
                            d.close();
                        }
                    }
                } finally {
                    four.shutdownNow();
                }
                checkInfo(ctx.memoryInfo(), "after the threads freed everything");
                Stress.report("memory pressure %s: %d rounds of allocDevice and allocAsync until refused (%d buffers), then "
                        + "4 threads at once; every refusal a GpuOutOfMemoryException with requested and free bytes",
                        backend, rounds, filled);
            }
        });
    }
}
