package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Creating and closing streams and contexts over and over: what a closed object used is given
 * back, so memory, threads and the cost of an operation stay where they were.
 */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: each test bounds itself (Stress.bounded)
class StressChurnTest {
    private static final int WINDOWS = 10;

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void streamChurnOnOneContextKeepsHeapThreadsAndOperationCostFlat(String backend) {
        int streams = Stress.scaled(2_000);
        int window = streams / WINDOWS;
        Stress.bounded("churn of " + streams + " streams on one context (" + backend + ")", Stress.limit(40, 20), () -> {
            int baseline = Stress.warmUp(backend);
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            Stress.Samples samples = new Stress.Samples("stream churn " + backend, "streams");
            long[] medianCpuNanos = new long[WINDOWS];
            String ctxName;
            try (Stress.LeakWarnings leaks = new Stress.LeakWarnings()) {
                long t0;
                try (Context ctx = Backend.open(backend); DeviceBuffer d = ctx.allocDevice(1024, "d");
                        DeviceBuffer onDefault = ctx.allocDevice(1024, "on-default")) {
                    ctxName = ctx.name();
                    int[] back = new int[256];
                    long[] cycle = new long[window];
                    t0 = System.nanoTime();
                    for (int i = 0; i < streams; i++) {
                        if (i % 100 == 0) {
                            Stress.checkpoint();
                        }
                        long c0 = cpu.getCurrentThreadCpuTime();
                        Stream s = ctx.createStream();
                        s.fill(d, i);
                        s.synchronize();
                        s.close();
                        // the legacy default stream orders with every stream: its cost must not grow with
                        // the streams that were closed
                        ctx.defaultStream().fill(onDefault, i);
                        cycle[i % window] = cpu.getCurrentThreadCpuTime() - c0;
                        if ((i + 1) % window == 0) {
                            ctx.defaultStream().copy(d, back);
                            assertEquals(i, back[0], "d after stream " + i);
                            assertEquals(i, back[255], "d after stream " + i);
                            long[] sorted = cycle.clone();
                            Arrays.sort(sorted);
                            medianCpuNanos[i / window] = sorted[window / 2];
                            samples.take(i + 1);
                        }
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                samples.print();
                Stress.report("stream churn %s: %d streams created, used and closed in %.1f s (%.0f per second, "
                        + "sampling GCs included)", backend, streams, seconds, streams / seconds);
                Stress.report("stream churn %s: median CPU time per cycle (create, fill, synchronize, close, a "
                        + "default-stream fill), per %d streams, in us: %s", backend, window,
                        Arrays.stream(medianCpuNanos).mapToObj(n -> String.valueOf(n / 1000)).toList());
                samples.assertHeapFlat(4);
                samples.assertThreadsFlat(2);
                // CPU time of this thread, not wall time: a loaded machine slows both windows alike
                long first = medianCpuNanos[1];   // the first window warms the JIT up
                long last = medianCpuNanos[WINDOWS - 1];
                assertTrue(last <= 4 * first + 100_000, "the cost of a cycle grew with the streams closed before it: median "
                        + first / 1000 + " us after " + 2 * window + " streams, " + last / 1000 + " us after " + streams);
                int after = Stress.assertThreadsAtMost(baseline + 2, "threads after the context closed (baseline "
                        + baseline + ")");
                Stress.report("stream churn %s: live threads %d before the context, %d after it closed", backend,
                        baseline, after);
                leaks.settle();
                assertEquals(List.of(), leaks.about(ctxName), "leak warnings");
            }
        });
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void contextChurnKeepsHeapAndThreadsFlat(String backend) {
        // a CUDA context takes far longer to set up and tear down than a host one
        int contexts = Stress.scaled(backend.equals("host") ? 500 : 50);
        int window = contexts / WINDOWS;
        Stress.bounded("churn of " + contexts + " contexts (" + backend + ")", Stress.limit(40, 20), () -> {
            int baseline = Stress.warmUp(backend);
            Stress.Samples samples = new Stress.Samples("context churn " + backend, "contexts");
            List<String> names = new ArrayList<>();
            float[] data = new float[256];
            Arrays.fill(data, 1.5f);
            float[] doubled = new float[256];
            Arrays.fill(doubled, 3f);
            try (Stress.LeakWarnings leaks = new Stress.LeakWarnings()) {
                long t0 = System.nanoTime();
                for (int i = 0; i < contexts; i++) {
                    if (i % 10 == 0) {
                        Stress.checkpoint();
                    }
                    Context ctx = Context.create(Backend.options(backend).build());
                    names.add(ctx.name());
                    KernelModule m = ctx.loadModule(ModuleSource.bundled());
                    Kernel scale = m.kernel(BundledKernels.SCALE);
                    Stream up = ctx.createStream();
                    Stream compute = ctx.createStream();
                    HostBuffer h = ctx.allocHost(1024);
                    DeviceBuffer d = ctx.allocDevice(1024);
                    h.write(0, data);
                    up.copy(h, d);
                    compute.waitFor(up.record());
                    compute.launch(scale, LaunchConfig.forElements(256), d, 2f, 256);
                    compute.copy(d, h);
                    CompletableFuture<Void> done = compute.onComplete();
                    done.get(30, TimeUnit.SECONDS);
                    float[] got = new float[256];
                    h.read(0, got);
                    assertArrayEquals(doubled, got, "context " + i);
                    // left open on purpose: closing the context closes what it still owns
                    ctx.close();
                    for (boolean open : new boolean[] {up.isOpen(), compute.isOpen(), h.isOpen(), d.isOpen(), m.isOpen()}) {
                        assertFalse(open, "an object of a closed context is still open");
                    }
                    if ((i + 1) % window == 0) {
                        samples.take(i + 1);
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                samples.print();
                Stress.report("context churn %s: %d contexts (2 streams, 2 buffers, copy, launch, onComplete, close) in "
                        + "%.1f s (%.0f per second, sampling GCs included)", backend, contexts, seconds, contexts / seconds);
                samples.assertHeapFlat(4);
                samples.assertThreadsFlat(2);
                int after = Stress.assertThreadsAtMost(baseline + 2, "threads after " + contexts + " contexts closed "
                        + "(baseline " + baseline + ")");
                Stress.report("context churn %s: live threads %d before, %d after", backend, baseline, after);
                leaks.settle();
                List<String> warnings = new ArrayList<>();
                for (String n : names) {
                    warnings.addAll(leaks.about(n));
                }
                assertEquals(List.of(), warnings, "leak warnings for objects the contexts closed");
            }
        });
    }
}
