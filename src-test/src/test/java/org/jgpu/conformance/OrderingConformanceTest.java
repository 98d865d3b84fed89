package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamFlag;
import org.jgpu.StreamOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Work on one stream runs in order; work on two streams is ordered by events, joins and the default stream. */
class OrderingConformanceTest {
    private static final int N = 4096;

    private static float[] random(long seed) {
        Random r = new Random(seed);
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = r.nextFloat() * 10 - 5;
        }
        return v;
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void operationsOnOneStreamRunInTheOrderEnqueued(String backend) {
        try (Context ctx = Backend.open(backend)) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            Kernel scale = m.kernel(BundledKernels.SCALE);
            Kernel saxpy = m.kernel(BundledKernels.SAXPY);
            Kernel add = m.kernel(BundledKernels.VECTOR_ADD);
            float[] x = random(1);
            float[] y = random(2);
            Stream s = ctx.createStream();
            try (HostBuffer h = ctx.allocHost(4L * N); DeviceBuffer dx = ctx.allocDevice(4L * N);
                    DeviceBuffer dy = ctx.allocDevice(4L * N); DeviceBuffer dz = ctx.allocDevice(4L * N)) {
                h.write(0, x);
                s.copy(h, dx);
                s.synchronize();
                h.write(0, y);
                s.copy(h, dy);
                s.launch(scale, LaunchConfig.forElements(N), dx, 3f, N);            // x *= 3
                s.launch(saxpy, LaunchConfig.forElements(N), 2f, dx, dy, N);        // y = 2x + y
                s.launch(add, LaunchConfig.forElements(N), dx, dy, dz, N);          // z = x + y
                s.launch(scale, LaunchConfig.forElements(N), dx, 0f, N);            // x = 0 after z is done
                s.copy(dz, h);
                s.synchronize();
                float[] got = new float[N];
                h.read(0, got);
                for (int i = 0; i < N; i++) {
                    float x3 = 3f * x[i];
                    assertEquals(x3 + (2f * x3 + y[i]), got[i], 1e-4f, "element " + i);
                }
                float[] zeros = new float[N];
                s.copy(dx, zeros);
                for (float z : zeros) {
                    assertEquals(0f, Math.abs(z), "x was scaled by 0 last");
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void waitForMakesAnotherStreamWaitForAnEvent(String backend) {
        try (Context ctx = Backend.open(backend)) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            Stream producer = ctx.createStream();
            Stream consumer = ctx.createStream();
            float[] x = random(3);
            try (DeviceBuffer d = ctx.allocDevice(4L * N)) {
                producer.copy(x, d);
                producer.launch(m.kernel(BundledKernels.SPIN), LaunchConfig.forElements(1), 30_000_000L);
                producer.launch(m.kernel(BundledKernels.SCALE), LaunchConfig.forElements(N), d, 2f, N);
                Event produced = producer.record();
                consumer.waitFor(produced);
                consumer.launch(m.kernel(BundledKernels.SCALE), LaunchConfig.forElements(N), d, 0.5f, N);
                Event consumed = consumer.record();
                assertFalse(consumed.query(), "the consumer ran before the producer's 30 ms spin ended");
                consumed.synchronize();
                assertTrue(produced.query(), "consumer finished before the event it waited for");
                float[] got = new float[N];
                consumer.copy(d, got);
                assertArrayEquals(x, got, "x * 2 * 0.5 must be x: the scales ran in order");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void joinWaitsForEverythingEnqueuedOnTheOtherStream(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream a = ctx.createStream();
            Stream b = ctx.createStream();
            a.launch(spin, LaunchConfig.forElements(1), 30_000_000L);
            b.join(a);
            Event after = b.record();
            assertFalse(after.query(), "b's event completed while a still spins");
            after.synchronize();
            assertTrue(a.query());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void legacyDefaultStreamWaitsForBlockingStreamsButNotForNonBlockingOnes(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream blocking = ctx.createStream();
            Stream nonBlocking = ctx.createStream(StreamOptions.builder()
                    .flags(java.util.EnumSet.of(StreamFlag.NON_BLOCKING)).build());
            Stream def = ctx.defaultStream();
            nonBlocking.launch(spin, LaunchConfig.forElements(1), 200_000_000L);
            blocking.launch(spin, LaunchConfig.forElements(1), 30_000_000L);
            Event onDefault = def.record();
            onDefault.synchronize();
            assertTrue(blocking.query(), "the default stream's event completed before earlier work on a blocking stream");
            assertFalse(nonBlocking.query(), "the default stream waited for a non-blocking stream");
            nonBlocking.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void queryIsFalseWhileWorkIsPendingAndTrueAfter(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream s = ctx.createStream();
            assertTrue(s.query(), "a new stream is idle");
            s.launch(spin, LaunchConfig.forElements(1), 30_000_000L);
            assertFalse(s.query());
            int polls = 0;
            while (!s.query()) {
                polls++;
                Thread.onSpinWait();
            }
            assertTrue(polls > 0);
            assertTrue(s.query());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void kernelsReadAndWriteMappedHostMemoryDirectly(String backend) {
        try (Context ctx = Backend.open(backend);
                HostBuffer mapped = ctx.allocHost(4L * N, java.util.EnumSet.of(org.jgpu.HostAllocOption.MAPPED))) {
            Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            float[] x = random(4);
            mapped.write(0, x);
            Stream s = ctx.createStream();
            s.launch(scale, LaunchConfig.forElements(N), org.jgpu.Arg.inOut(mapped), 2f, N);
            org.jgpu.HazardException early = org.junit.jupiter.api.Assertions.assertThrows(
                    org.jgpu.HazardException.class, () -> mapped.getFloat(0), "read before the kernel is seen done");
            assertTrue(early.getMessage().contains("launch scale"), early.getMessage());
            s.synchronize();
            float[] got = new float[N];
            mapped.read(0, got);
            for (int i = 0; i < N; i++) {
                assertEquals(2f * x[i], got[i], "element " + i);
            }
            try (HostBuffer plain = ctx.allocHost(64)) {
                org.jgpu.KernelArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                        org.jgpu.KernelArgumentException.class,
                        () -> s.launch(scale, LaunchConfig.forElements(16), plain, 2f, 16));
                assertTrue(e.getMessage().contains("MAPPED"), e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aStreamReportsThePriorityTheDeviceGaveIt(String backend) {
        try (Context ctx = Backend.open(backend)) {
            Stream low = ctx.createStream(StreamOptions.builder().priority(0).build());
            Stream high = ctx.createStream(StreamOptions.builder().priority(-100).build());
            assertEquals(0, low.priority());
            assertTrue(high.priority() <= 0 && high.priority() > -100, "clamped to the device's range: " + high.priority());
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void perThreadDefaultStreamsDoNotSerializeThreads(String backend) throws Exception {
        try (Context ctx = Context.create(Backend.options(backend).defaultStream(org.jgpu.DefaultStreamMode.PER_THREAD)
                .build())) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream mine = ctx.defaultStream();
            assertTrue(mine == ctx.defaultStream(), "one default stream per thread");
            mine.launch(spin, LaunchConfig.forElements(1), 200_000_000L);
            java.util.concurrent.CompletableFuture<Boolean> other = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                Stream theirs = ctx.defaultStream();
                theirs.launch(spin, LaunchConfig.forElements(1), 1_000L);
                theirs.synchronize();
                return theirs != mine;
            });
            assertTrue(other.get(10, java.util.concurrent.TimeUnit.SECONDS), "another thread got its own stream");
            assertFalse(mine.query(), "the other thread's default stream did not wait for this one");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, mine::close);
            mine.synchronize();
        }
        try (Context legacy = Backend.open(backend)) {
            Stream a = legacy.defaultStream();
            Stream b = java.util.concurrent.CompletableFuture.supplyAsync(legacy::defaultStream).get();
            assertTrue(a == b, "the legacy default stream is shared by all threads");
        }
    }
}
