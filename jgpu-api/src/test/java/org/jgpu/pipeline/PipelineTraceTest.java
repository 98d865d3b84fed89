package org.jgpu.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.Access;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Kernel;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.pipeline.BufferedPipeline.Layout;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;
import org.jgpu.sim.KernelTwins;
import org.jgpu.sim.Sleeper;
import org.jgpu.trace.ChromeTrace;
import org.jgpu.trace.Gantt;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a pipeline report says about its run: that the device was simulated, which stage and
 * batch each span is, CPU and device spans on one clock, and the Java code's real time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipelineTraceTest {
    private static final long MS = 1_000_000;
    private static final String SLOW_PTX = ".version 9.0\n.target sm_75\n.address_size 64\n"
            + ".visible .entry slow_stage(\n.param .u64 slow_stage_param_0\n)\n{\nret;\n}\n";
    private Context ctx;
    private Kernel spin;

    @BeforeEach
    void open() {
        ctx = Context.create(ContextOptions.builder().backend("host").build());
        spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    private BufferedPipeline.Builder pipeline(Context on, int depth) {
        return BufferedPipeline.builder(on).depth(depth).layout(Layout.SINGLE_STREAM).inputBytes(4096).outputBytes(4096)
                .prepare((batch, in) -> true)
                .compute((stream, in, out, batch) -> stream.launch(spin, LaunchConfig.forElements(1), 100_000L))
                .consume((batch, out) -> { });
    }

    private static long batchOf(Span s) {
        return ((Number) s.args().get("batch")).longValue();
    }

    @Test
    void aReportOnTheHostBackendSaysTheDeviceIsSimulated() {
        PipelineReport r = pipeline(ctx, 2).build().run(3);
        assertTrue(r.simulated());
        assertTrue(r.toString().endsWith("(simulated device: host backend)"), r.toString());
    }

    @Test
    void everySpanNamesItsStageAndCarriesItsBatch() {
        Timeline t = pipeline(ctx, 2).build().run(4).timeline();
        assertEquals(4 * 5, t.spans().size(), t.spans().toString());
        for (Span s : t.spans()) {
            String stage = s.op().split(" ")[0];
            assertTrue(List.of("prepare", "upload", "compute", "download", "consume").contains(stage), s.toString());
            assertEquals(Map.of("batch", batchOf(s)), s.args(), s.toString());
            assertEquals(stage + " " + batchOf(s), s.op());
        }
        String json = ChromeTrace.json(t);
        assertTrue(json.contains("\"name\":\"consume 3\"") && json.contains("\"args\":{\"batch\":3}"), json);
        String gantt = Gantt.render(t, 80);
        String legend = gantt.substring(gantt.lastIndexOf('\n', gantt.length() - 2) + 1);
        for (String entry : List.of("P prepare", "C consume", "U upload", "# compute", "D download", ". idle")) {
            assertTrue(legend.contains(entry), "the legend lacks '" + entry + "':\n" + gantt);
        }
    }

    /**
     * The first record on a stream enqueued slowly (as cold code does): the origin event is
     * reached well after the run's start. Device spans must still be placed after the CPU work
     * that had to come first.
     */
    @Test
    void noDeviceSpanStartsBeforeTheCpuWorkItWaitsFor() {
        Timeline t = pipeline(slowFirstRecord(ctx), 2).build().run(6).timeline();
        for (Span prepare : t.spans()) {
            if (!prepare.op().startsWith("prepare")) {
                continue;
            }
            Span upload = span(t, "upload " + batchOf(prepare));
            assertTrue(upload.startNanos() >= prepare.endNanos(), prepare + " ends after " + upload + " starts");
            Span download = span(t, "download " + batchOf(prepare));
            Span consume = span(t, "consume " + batchOf(prepare));
            assertTrue(consume.startNanos() >= download.endNanos(), download + " ends after " + consume + " starts");
        }
    }

    @Test
    void aComputeStageWhoseJavaCodeIsSlowerThanItsModelIsTimedByTheJavaCode() {
        KernelTwins.register(new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return KernelSignature.of("slow_stage", KernelParam.pointer("x", Access.READ_WRITE));
            }

            @Override
            public void run(KernelCall call) {
                Sleeper.sleep(10 * MS);
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return 100_000;
            }
        });
        Kernel slow = ctx.loadModule(ModuleSource.ptx(SLOW_PTX)).kernel("slow_stage");
        PipelineReport r = pipeline(ctx, 2)
                .compute((stream, in, out, batch) -> stream.launch(slow, LaunchConfig.forElements(1), in)).build().run(5);
        assertTrue(r.stageNanos().get("compute") >= 10 * MS, r.stageNanos().toString());
        assertTrue(r.wallNanos() >= 5 * 10 * MS && r.idealNanos() >= 5 * 10 * MS, r.toString());
        assertTrue(r.timeline().busyNanos("compute") <= r.wallNanos(), r.toString());
    }

    private static Span span(Timeline t, String op) {
        return t.spans().stream().filter(s -> s.op().equals(op)).findFirst().orElseThrow(() -> new AssertionError(
                "no span '" + op + "' in " + t.spans()));
    }

    /** {@code real}, but the first event record on any of its streams waits 3 ms before it is enqueued. */
    private static Context slowFirstRecord(Context real) {
        AtomicBoolean first = new AtomicBoolean(true);
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> {
                    Object result = call(method, real, args);
                    if (!(result instanceof Stream stream)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Stream.class.getClassLoader(), new Class<?>[] {Stream.class},
                            (p, m, a) -> {
                                if (m.getName().equals("record") && a != null && a.length == 1
                                        && first.compareAndSet(true, false)) {
                                    Sleeper.sleep(3 * MS);
                                }
                                return call(m, stream, a);
                            });
                });
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
