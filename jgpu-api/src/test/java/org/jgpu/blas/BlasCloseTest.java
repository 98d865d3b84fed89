package org.jgpu.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.AsyncOperationException;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.ParamType;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelTwins;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;
import org.junit.jupiter.api.Test;

/** Closing a Blas (the same sequence on every backend): once, after calls in flight and the stream's work. */
class BlasCloseTest {
    private static final String FAIL = "blas_close_fail";
    private static final KernelSignature FAIL_SIGNATURE = KernelSignature.of(FAIL, KernelParam.scalar("n", ParamType.B32));

    static {
        KernelTwins.register(new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return FAIL_SIGNATURE;
            }

            @Override
            public void run(KernelCall call) {
                throw new IllegalStateException("the failing kernel failed, as asked");
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return 1_000;
            }
        });
    }

    private static Context host() {
        return Context.create(ContextOptions.builder().backend("host").build());
    }

    private static Kernel failing(Context ctx) {
        return ctx.loadModule(ModuleSource.ptx(".version 7.0\n.target sm_50\n.address_size 64\n.visible .entry " + FAIL
                + "(.param .u32 n)\n{\nret;\n}\n")).kernel(FAIL, FAIL_SIGNATURE);
    }

    @Test
    void closingTwiceIsHarmlessAndACallAfterCloseNamesTheStream() {
        try (Context ctx = host()) {
            Stream s = ctx.createStream(StreamOptions.builder().name("b").build());
            DeviceBuffer x = ctx.allocDevice(64);
            Blas blas = Blas.on(s);
            blas.saxpy(16, 1f, x, x);
            blas.close();
            blas.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> blas.saxpy(16, 1f, x, x));
            assertEquals("BLAS on stream 'b' is closed; make a new one with Blas.on(stream)", e.getMessage());
            assertThrows(IllegalStateException.class, () -> blas.sdot(16, x, x, x));
        }
    }

    /** A backend that counts its releases and fails them, as asked. */
    private static BlasBackend releasing(AtomicInteger released, RuntimeException failure) {
        return new BlasBackend() {
            @Override
            public void sgemm(Stream stream, Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b,
                    float beta, DeviceBuffer c) {
                throw new AssertionError("not called");
            }

            @Override
            public void sgemv(Stream stream, Transpose ta, int m, int n, float alpha, DeviceBuffer a, DeviceBuffer x, float beta,
                    DeviceBuffer y) {
                throw new AssertionError("not called");
            }

            @Override
            public void saxpy(Stream stream, int n, float alpha, DeviceBuffer x, DeviceBuffer y) {
                throw new AssertionError("not called");
            }

            @Override
            public void sdot(Stream stream, int n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer result) {
                throw new AssertionError("not called");
            }

            @Override
            public void close() {
                released.incrementAndGet();
                throw failure;
            }
        };
    }

    @Test
    void theHandleIsReleasedEvenIfWaitingForTheStreamFails() {
        try (Context ctx = host()) {
            Stream s = ctx.createStream();
            s.launch(failing(ctx), LaunchConfig.forElements(1), 1);
            AtomicInteger released = new AtomicInteger();
            RuntimeException destroyFailed = new IllegalStateException("destroy failed");
            Blas blas = new Blas(s, new BlasBinding(releasing(released, destroyFailed)));
            AsyncOperationException e = assertThrows(AsyncOperationException.class, blas::close);
            assertEquals(1, released.get(), "released although the wait failed");
            assertSame(destroyFailed, e.getSuppressed()[0], "the release failure is suppressed in the wait's");
            blas.close();
            assertEquals(1, released.get(), "released once");
        }
    }

    @Test
    void aFailedStreamFailsCloseButStillClosesTheBlas() {
        try (Context ctx = host()) {
            Stream s = ctx.createStream();
            DeviceBuffer x = ctx.allocDevice(64);
            Blas blas = Blas.on(s);
            s.launch(failing(ctx), LaunchConfig.forElements(1), 1);
            assertThrows(AsyncOperationException.class, blas::close);
            assertThrows(IllegalStateException.class, () -> blas.saxpy(16, 1f, x, x));
            blas.close();
        }
    }

    @Test
    void aCloseRacingCallsLetsEachCallFinishOrRefusesIt() throws Exception {
        try (Context ctx = host()) {
            Stream s = ctx.createStream(StreamOptions.builder().name("race").build());
            DeviceBuffer x = ctx.allocDevice(4096);
            Blas blas = Blas.on(s);
            List<Throwable> other = new CopyOnWriteArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(4);
            Thread[] callers = new Thread[4];
            for (int t = 0; t < callers.length; t++) {
                callers[t] = new Thread(() -> {
                    started.countDown();
                    while (true) {
                        try {
                            blas.saxpy(1024, 0.5f, x, x);
                        } catch (IllegalStateException e) {
                            if (e.getMessage().startsWith("BLAS on stream 'race' is closed")) {
                                refused.incrementAndGet();
                            } else {
                                other.add(e);
                            }
                            return;
                        } catch (Throwable e) {
                            other.add(e);
                            return;
                        }
                    }
                });
                callers[t].start();
            }
            started.await();
            Thread.sleep(20);
            blas.close();
            for (Thread t : callers) {
                t.join(10_000);
            }
            assertTrue(other.isEmpty(), "only refusals after the close: " + other);
            assertEquals(4, refused.get());
            s.synchronize();
        }
    }
}
