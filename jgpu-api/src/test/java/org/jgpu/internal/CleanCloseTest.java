package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jgpu.Access;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DefaultStreamMode;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardMode;
import org.jgpu.Kernel;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelTwins;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Close is a clean cut: once close() of a context, stream or buffer returns, everything it
 * accepted has run and nothing more is accepted; a call racing with it either completes fully or
 * throws an IllegalStateException naming the object. A counting kernel twin tells what ran.
 */
@Timeout(120)
class CleanCloseTest {
    private static final String PTX = ".version 9.0\n.target sm_75\n.address_size 64\n"
            + ".visible .entry probe(\n.param .u64 probe_param_0\n)\n{\nret;\n}\n"
            + ".visible .entry slow_probe(\n.param .u64 slow_probe_param_0\n)\n{\nret;\n}\n";
    private static final AtomicLong SLOW_RAN = new AtomicLong();
    private static final AtomicLong RAN = new AtomicLong();
    private static final int THREADS = 8;
    private static final int REPS = 20;

    @BeforeAll
    static void registerProbes() {
        KernelTwins.register(counting("probe", RAN, 2_000));
        KernelTwins.register(counting("slow_probe", SLOW_RAN, 300_000_000));
    }

    /** A twin that counts its runs and takes {@code nanos} of simulated time. */
    private static KernelTwin counting(String name, AtomicLong runs, long nanos) {
        return new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return KernelSignature.of(name, KernelParam.pointer("x", Access.READ_WRITE));
            }

            @Override
            public void run(KernelCall call) {
                runs.incrementAndGet();
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return nanos;
            }
        };
    }

    private static Context open(HazardMode mode) {
        return Context.create(ContextOptions.builder().backend("host").hazardMode(mode)
                .configure(EngineModel.builder().concurrentKernels(8).build()).build());
    }

    /** Runs {@code body} on THREADS threads until it throws; returns how many calls it made before. */
    private static long race(Runnable closer, String closedName, Runnable... bodies) throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(bodies.length);
        List<Thread> threads = new ArrayList<>();
        for (Runnable body : bodies) {
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    while (true) {
                        body.run();
                        accepted.incrementAndGet();
                    }
                } catch (IllegalStateException e) {
                    if (!e.getMessage().contains(closedName)) {
                        unexpected.compareAndSet(null, e);
                    }
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                }
            });
            threads.add(t);
            t.start();
        }
        started.await();
        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        closer.run();
        long ranAtClose = RAN.get();
        for (Thread t : threads) {
            t.join();
        }
        if (unexpected.get() != null) {
            throw new AssertionError("a call racing with close failed otherwise than naming " + closedName,
                    unexpected.get());
        }
        assertEquals(ranAtClose, RAN.get(), "work ran after close() returned");
        return accepted.get();
    }

    @Test
    void closingAContextRunsEveryLaunchItAcceptedAndAcceptsNoMore() throws Exception {
        for (int rep = 0; rep < REPS; rep++) {
            Context ctx = open(HazardMode.CHECK);
            Kernel probe = ctx.loadModule(ModuleSource.ptx(PTX)).kernel("probe");
            Runnable[] bodies = new Runnable[THREADS];
            for (int i = 0; i < THREADS; i++) {
                Stream s = ctx.createStream();
                DeviceBuffer d = ctx.allocDevice(64);
                bodies[i] = () -> s.launch(probe, LaunchConfig.forElements(1), d);
            }
            long before = RAN.get();
            long accepted = race(ctx::close, ctx.name(), bodies);
            assertEquals(accepted, RAN.get() - before, "launches accepted but never run, or run twice");
        }
    }

    @Test
    void closingABufferRunsEveryLaunchThatUsesItAndAcceptsNoMore() throws Exception {
        for (int rep = 0; rep < REPS; rep++) {
            try (Context ctx = open(HazardMode.OFF)) {
                Kernel probe = ctx.loadModule(ModuleSource.ptx(PTX)).kernel("probe");
                DeviceBuffer d = ctx.allocDevice(64, "shared");
                Runnable[] bodies = new Runnable[THREADS];
                for (int i = 0; i < THREADS; i++) {
                    Stream s = ctx.createStream();
                    bodies[i] = () -> s.launch(probe, LaunchConfig.forElements(1), d);
                }
                long before = RAN.get();
                long accepted = race(d::close, "'shared'", bodies);
                assertEquals(accepted, RAN.get() - before, "launches accepted but never run, or run twice");
            }
        }
    }

    @Test
    void closingAStreamRunsEveryLaunchItAcceptedAndAcceptsNoMore() throws Exception {
        for (int rep = 0; rep < REPS; rep++) {
            try (Context ctx = open(HazardMode.OFF)) {
                Kernel probe = ctx.loadModule(ModuleSource.ptx(PTX)).kernel("probe");
                DeviceBuffer d = ctx.allocDevice(64);
                Stream s = ctx.createStream(org.jgpu.StreamOptions.builder().name("victim").build());
                Runnable[] bodies = new Runnable[THREADS];
                Arrays.fill(bodies, (Runnable) () -> s.launch(probe, LaunchConfig.forElements(1), d));
                long before = RAN.get();
                long accepted = race(s::close, "'victim'", bodies);
                assertEquals(accepted, RAN.get() - before, "launches accepted but never run, or run twice");
            }
        }
    }

    @Test
    void aCopyIntoAJavaArrayRacingWithItsStreamsCloseReturnsItsDataOrThrows() throws Exception {
        float[] ones = new float[4096];
        Arrays.fill(ones, 1f);
        for (int rep = 0; rep < 100; rep++) {
            try (Context ctx = open(HazardMode.CHECK)) {
                Stream s = ctx.createStream(org.jgpu.StreamOptions.builder().name("victim").build());
                DeviceBuffer d = ctx.allocDevice(4L * ones.length);
                s.copy(ones, d);
                Runnable[] bodies = new Runnable[2];
                Arrays.fill(bodies, (Runnable) () -> {
                    float[] out = new float[ones.length];
                    s.copy(d, out);
                    assertArrayEquals(ones, out, "a copy returned without its data");
                });
                race(s::close, "'victim'", bodies);
            }
        }
    }

    @Test
    void aClosedPerThreadContextStartsNoStreamThreads() {
        Context ctx = Context.create(ContextOptions.builder().backend("host")
                .defaultStream(DefaultStreamMode.PER_THREAD).build());
        ctx.defaultStream().synchronize();
        ctx.close();
        int before = Thread.activeCount();
        for (int i = 0; i < 50; i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, ctx::defaultStream);
            assertTrue(e.getMessage().contains(ctx.name()), e.getMessage());
        }
        int after = Thread.activeCount();
        assertTrue(after <= before + 2, "threads: " + before + " before, " + after + " after 50 calls on a closed context");
    }

    @Test
    void aSecondCloseReturnsOnlyOnceTheFirstHasFinished() throws Exception {
        for (int rep = 0; rep < 20; rep++) {
            Context ctx = open(HazardMode.CHECK);
            Kernel probe = ctx.loadModule(ModuleSource.ptx(PTX)).kernel("probe");
            Stream s = ctx.createStream();
            DeviceBuffer d = ctx.allocDevice(64);
            long before = RAN.get();
            for (int i = 0; i < 200; i++) {
                s.launch(probe, LaunchConfig.forElements(1), d);
            }
            Thread first = new Thread(ctx::close);
            first.start();
            while (ctx.isOpen()) {
                Thread.onSpinWait();
            }
            ctx.close();
            if (RAN.get() - before != 200) {
                fail("the second close() returned while the first still waited for the work: "
                        + (RAN.get() - before) + " of 200 launches had run");
            }
            first.join();
        }
    }

    @Test
    void aLeakedBufferIsFreedOnlyAfterTheDeviceWorkThatUsesIt() throws Exception {
        try (Context ctx = open(HazardMode.CHECK)) {
            Kernel slow = ctx.loadModule(ModuleSource.ptx(PTX)).kernel("slow_probe");
            Stream s = ctx.createStream();
            long freeBefore = ctx.memoryInfo().freeBytes();
            long ranBefore = SLOW_RAN.get();
            leakWhileInUse(ctx, s, slow);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ctx.memoryInfo().freeBytes() < freeBefore && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(1);
            }
            // the stream is asked only once the memory is back: it must have finished by then
            boolean kernelDone = s.query();
            assertEquals(freeBefore, ctx.memoryInfo().freeBytes(), "the leaked buffer was never released");
            assertTrue(kernelDone, "the leaked buffer was freed while a kernel still used it");
            assertEquals(ranBefore + 1, SLOW_RAN.get());
        }
    }

    private static void leakWhileInUse(Context ctx, Stream s, Kernel slow) {
        DeviceBuffer d = ctx.allocDevice(1 << 20, "leaked-in-use");
        s.launch(slow, LaunchConfig.forElements(1), d);
    }

    @Test
    void aHostBufferReadRacingWithItsCloseReturnsItsDataOrNamesTheBuffer() throws Exception {
        float[] ones = new float[1 << 16];
        Arrays.fill(ones, 1f);
        for (int rep = 0; rep < 100; rep++) {
            try (Context ctx = open(HazardMode.CHECK)) {
                org.jgpu.HostBuffer h = ctx.allocHost(4L * ones.length, "pinned");
                h.write(0, ones);
                Runnable[] bodies = new Runnable[2];
                Arrays.fill(bodies, (Runnable) () -> {
                    float[] out = new float[ones.length];
                    h.read(0, out);
                    assertArrayEquals(ones, out, "a read returned without its data");
                });
                race(h::close, "'pinned'", bodies);
            }
        }
    }
}
