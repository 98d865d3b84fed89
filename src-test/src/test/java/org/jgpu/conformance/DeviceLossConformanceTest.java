package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.Access;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.Kernel;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.sim.DeviceFaultException;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelTwins;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;
import org.jgpu.pipeline.AsyncJob;
import org.jgpu.pipeline.BufferedPipeline;
import org.jgpu.pipeline.DeviceLoader;
import org.jgpu.pipeline.PipelineException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * No future hangs after a device fault: once the device is lost, every pending and later
 * {@code onComplete()} (stream, event, context), {@code callback()}, {@code AsyncJob.await()},
 * {@code BufferedPipeline} run and {@code DeviceLoader} iteration ends, within a bounded time,
 * with an exception naming the fault; later device work fails at once naming it.
 *
 * <p>The host backend loses its device when a twin throws {@link DeviceFaultException}. On CUDA
 * a sticky error leaves the process unable to use the device again, so the CUDA column skips:
 * there it is run in a process of its own.
 */
class DeviceLossConformanceTest {
    private static final String FAULT = "wrote far past its buffer (simulated device fault)";
    private static final String PTX = ".version 9.0\n.target sm_75\n.address_size 64\n"
            + ".visible .entry loss_gate(\n.param .u64 loss_gate_param_0\n)\n{\nret;\n}\n"
            + ".visible .entry loss_fault(\n.param .u64 loss_fault_param_0\n)\n{\nret;\n}\n"
            + ".visible .entry loss_long(\n.param .u64 loss_long_param_0\n)\n{\nret;\n}\n";
    /** How long anything may take to end after the loss. */
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static volatile CountDownLatch gate = new CountDownLatch(0);

    @BeforeAll
    static void registerTwins() {
        KernelTwins.register(twin("loss_gate", KernelTwin.SELF_TIMED, () -> {
            try {
                gate.await(60, TimeUnit.SECONDS);   // holds the stream until the test lets go
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        // modelled to take a minute: the worker runs it at once, waiters sleep to its modelled end
        KernelTwins.register(twin("loss_long", 60_000_000_000L, () -> { }));
        KernelTwins.register(twin("loss_fault", 1_000, () -> {
            throw new DeviceFaultException(FAULT);
        }));
    }

    private static KernelTwin twin(String name, long nanos, Runnable body) {
        return new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return KernelSignature.of(name, KernelParam.pointer("x", Access.READ_WRITE));
            }

            @Override
            public void run(KernelCall call) {
                body.run();
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return nanos;
            }
        };
    }

    private static Context open(String backend) {
        assumeTrue(backend.equals("host"), "on CUDA a sticky error needs a process restart: the CUDA loss test runs"
                + " in a JVM of its own");
        return Context.create(Backend.options(backend).build());
    }

    /** @throws AssertionError unless {@code t} or one of its causes (or suppressed) names the fault */
    private static void assertNamesFault(Throwable t, String what) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains(FAULT)) {
                return;
            }
            for (Throwable s : c.getSuppressed()) {
                if (String.valueOf(s.getMessage()).contains(FAULT)) {
                    return;
                }
            }
        }
        throw new AssertionError(what + " failed without naming the fault: " + t, t);
    }

    /** Waits (bounded) for a future that must fail naming the fault. */
    private static void assertFailsNamingFault(CompletableFuture<?> f, String what) {
        try {
            f.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            fail(what + " completed normally after the device was lost");
        } catch (TimeoutException e) {
            fail(what + " still pending " + BOUND.toSeconds() + " s after the device was lost (it would hang)");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            assertNamesFault(e.getCause(), what);
        }
    }

    /** Closes a lost context: it must not hang; if it reports, the report names the fault. */
    private static void closeLost(Context ctx) {
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                ctx.close();
            } catch (RuntimeException e) {
                assertNamesFault(e, "close of the lost context");
            }
        });
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void everyPendingAndLaterFutureFailsNamingTheFault(String backend) {
        Context ctx = open(backend);
        gate = new CountDownLatch(1);
        try {
            KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX));
            Kernel hold = m.kernel("loss_gate");
            Kernel fault = m.kernel("loss_fault");
            Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
            Stream a = ctx.createStream();
            Stream b = ctx.createStream();
            DeviceBuffer x = ctx.allocDevice(64);
            LaunchConfig one = LaunchConfig.forElements(1);
            a.launch(hold, one, x);
            a.launch(fault, one, x);
            AsyncJob job = AsyncJob.start(a, loop, one, 20, 20L, 1_000_000L);
            Event e = a.record();
            b.waitFor(e);
            AtomicBoolean ranA = new AtomicBoolean();
            AtomicBoolean ranB = new AtomicBoolean();
            Map<String, CompletableFuture<?>> pending = new LinkedHashMap<>();
            pending.put("stream a onComplete()", a.onComplete());
            pending.put("stream a callback()", a.callback(() -> ranA.set(true)));
            pending.put("event onComplete()", e.onComplete());
            pending.put("stream b (waiting for a) onComplete()", b.onComplete());
            pending.put("stream b callback()", b.callback(() -> ranB.set(true)));
            pending.put("context onComplete()", ctx.onComplete());
            pending.put("AsyncJob onComplete()", job.onComplete());
            for (Map.Entry<String, CompletableFuture<?>> p : pending.entrySet()) {
                assertFalse(p.getValue().isDone(), p.getKey() + " completed while the stream was held");
            }

            gate.countDown();   // the fault runs: the device is lost
            assertTimeoutPreemptively(BOUND, () -> {
                for (Map.Entry<String, CompletableFuture<?>> p : pending.entrySet()) {
                    assertFailsNamingFault(p.getValue(), "pending " + p.getKey());
                }
                assertNamesFault(assertThrows(RuntimeException.class, job::await), "AsyncJob.await()");
                assertNamesFault(assertThrows(RuntimeException.class, b::synchronize), "stream b synchronize()");
                assertNamesFault(assertThrows(RuntimeException.class, b::synchronize), "a second synchronize() (sticky)");
                // later work fails at once; later futures fail naming the fault
                assertNamesFault(assertThrows(RuntimeException.class, () -> b.launch(hold, one, x)), "a later launch");
                assertNamesFault(assertThrows(RuntimeException.class, () -> b.fill(x, 1)), "a later fill");
                assertFailsNamingFault(b.callback(() -> ranB.set(true)), "a later callback()");
                assertFailsNamingFault(a.onComplete(), "a later stream onComplete()");
                assertFailsNamingFault(e.onComplete(), "a later event onComplete()");
                assertFailsNamingFault(ctx.onComplete(), "a later context onComplete()");
                assertNamesFault(assertThrows(RuntimeException.class, ctx::synchronize), "context synchronize()");
            });
            assertFalse(ranA.get() || ranB.get(), "a callback ran on a lost device");
            assertTimeoutPreemptively(BOUND, () -> {
                try {
                    job.close();
                } catch (RuntimeException ex) {
                    assertNamesFault(ex, "AsyncJob.close()");
                }
            });
        } finally {
            gate.countDown();
            closeLost(ctx);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void anEventQueryAfterTheLossReportsIt(String backend) {
        Context ctx = open(backend);
        gate = new CountDownLatch(1);
        try {
            KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX));
            Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
            Stream a = ctx.createStream();
            DeviceBuffer x = ctx.allocDevice(64);
            LaunchConfig one = LaunchConfig.forElements(1);
            Event before = a.record();
            a.launch(m.kernel("loss_gate"), one, x);
            a.launch(m.kernel("loss_fault"), one, x);
            AsyncJob job = AsyncJob.start(a, loop, one, 20, 20L, 1_000_000L);
            Event after = a.record();
            gate.countDown();   // the fault runs: the device is lost
            assertTimeoutPreemptively(BOUND, () -> {
                assertNamesFault(assertThrows(RuntimeException.class, a::synchronize), "stream synchronize()");
                // as cuEventQuery returns the sticky error, not "done": the work never finished
                assertNamesFault(assertThrows(RuntimeException.class, after::query), "query() of an event after the fault");
                assertNamesFault(assertThrows(RuntimeException.class, before::query), "query() of an event before the fault");
                assertNamesFault(assertThrows(RuntimeException.class, job::isRunning), "AsyncJob.isRunning()");
                assertNamesFault(assertThrows(RuntimeException.class, job::poll), "AsyncJob.poll()");
            });
        } finally {
            gate.countDown();
            closeLost(ctx);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void longKernelsOnOtherStreamsDoNotDelayTheReportOfTheLoss(String backend) throws Exception {
        Context ctx = open(backend);
        gate = new CountDownLatch(1);
        try {
            KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX));
            Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
            Stream a = ctx.createStream();
            Stream b = ctx.createStream();
            Stream c = ctx.createStream();
            DeviceBuffer x = ctx.allocDevice(64);
            LaunchConfig one = LaunchConfig.forElements(1);
            a.launch(m.kernel("loss_gate"), one, x);
            a.launch(m.kernel("loss_fault"), one, x);
            // a minute of steps, already running when the device is lost
            AsyncJob job = AsyncJob.start(c, loop, one, 1_000, 1_000L, 60_000_000L);
            long t0 = System.nanoTime();
            while (job.poll().steps() < 1 && System.nanoTime() - t0 < BOUND.toNanos()) {
                Thread.sleep(5);
            }
            DeviceBuffer y = ctx.allocDevice(64);
            b.launch(m.kernel("loss_long"), one, y);
            CompletableFuture<Void> bDone = b.onComplete();
            gate.countDown();   // the fault runs: the device is lost
            Duration soon = Duration.ofSeconds(5);
            assertTimeoutPreemptively(soon, () -> {
                assertNamesFault(assertThrows(RuntimeException.class, a::synchronize), "stream a synchronize()");
                assertNamesFault(assertThrows(RuntimeException.class, b::synchronize),
                        "synchronize() of a stream with a long modelled kernel");
                assertFailsNamingFault(bDone, "onComplete() of a stream with a long modelled kernel");
                assertNamesFault(assertThrows(RuntimeException.class, job::await), "AsyncJob.await() of a running job");
            }, "a waiter slept on to the modelled end of work after the device was lost");
        } finally {
            gate.countDown();
            closeLost(ctx);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aBufferedPipelineRunEndsNamingTheFault(String backend) {
        Context ctx = open(backend);
        try {
            Kernel fault = ctx.loadModule(ModuleSource.ptx(PTX)).kernel("loss_fault");
            Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            List<Long> consumed = new ArrayList<>();
            BufferedPipeline p = BufferedPipeline.builder(ctx).depth(2).inputBytes(256).outputBytes(256)
                    .prepare((batch, in) -> true)
                    .compute((stream, in, out, batch) -> {
                        stream.launch(batch == 3 ? fault : scale, LaunchConfig.forElements(64),
                                batch == 3 ? new Object[] {in} : new Object[] {in, 2f, 64});
                        stream.copy(in, out);
                    })
                    .consume((batch, out) -> consumed.add(batch))
                    .build();
            PipelineException e = assertTimeoutPreemptively(BOUND,
                    () -> assertThrows(PipelineException.class, () -> p.run(1_000)));
            assertNamesFault(e, "the pipeline run");
            assertTrue(consumed.size() <= 3, "batches at or after the fault were consumed: " + consumed);
            // a later run fails at once, naming the fault (its first synchronize reports the loss)
            RuntimeException later = assertTimeoutPreemptively(BOUND,
                    () -> assertThrows(RuntimeException.class, () -> p.run(10)));
            assertNamesFault(later, "a later pipeline run");
        } finally {
            closeLost(ctx);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aDeviceLoaderEndsNamingTheFault(String backend) {
        Context ctx = open(backend);
        try {
            Kernel fault = ctx.loadModule(ModuleSource.ptx(PTX)).kernel("loss_fault");
            Stream compute = ctx.createStream();
            DeviceBuffer scratch = ctx.allocDevice(64);
            List<Long> delivered = new ArrayList<>();
            RuntimeException end = assertTimeoutPreemptively(BOUND, () -> {
                try (DeviceLoader loader = DeviceLoader.builder(ctx).workers(2).prefetchDepth(2)
                        .dataset(10_000, 256, (index, slot) -> slot.write(0, new float[] {index})).build()) {
                    for (DeviceLoader.DeviceBatch batch : loader) {
                        try (batch) {
                            delivered.add(batch.index());
                            if (batch.index() == 2) {
                                // the consumer's kernel faults; the loop goes on without the device
                                compute.launch(fault, LaunchConfig.forElements(1), scratch);
                                assertThrows(RuntimeException.class, compute::synchronize);
                            }
                        }
                    }
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertTrue(end != null, "the loader handed out all batches after the device was lost: " + delivered.size());
            assertNamesFault(end, "the DeviceLoader iteration");
        } finally {
            closeLost(ctx);
        }
    }
}
