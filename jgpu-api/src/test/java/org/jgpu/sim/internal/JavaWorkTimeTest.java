package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.jgpu.Access;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelModule;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;
import org.jgpu.sim.KernelTwins;
import org.jgpu.sim.Sleeper;
import org.jgpu.spi.Extensions;
import org.jgpu.trace.Engine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An operation holds its engine for the longer of its modelled time and the time its Java work
 * really took: timing events agree with wall time when the Java code is slower than the model,
 * and the model still rules when it is longer.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JavaWorkTimeTest {
    private static final long MS = 1_000_000;
    private static final String PTX = ".version 9.0\n.target sm_75\n.address_size 64\n"
            + ".visible .entry slow_java(\n.param .u64 slow_java_param_0\n)\n{\nret;\n}\n"
            + ".visible .entry long_model(\n.param .u64 long_model_param_0\n)\n{\nret;\n}\n";

    @BeforeAll
    static void registerTwins() {
        KernelTwins.register(twin("slow_java", 20 * MS, 1 * MS));
        KernelTwins.register(twin("long_model", 0, 30 * MS));
    }

    /** A twin whose Java code takes {@code javaNanos} and whose model says {@code modelNanos}. */
    private static KernelTwin twin(String name, long javaNanos, long modelNanos) {
        return new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return KernelSignature.of(name, KernelParam.pointer("x", Access.READ_WRITE));
            }

            @Override
            public void run(KernelCall call) {
                Sleeper.sleep(javaNanos);
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return modelNanos;
            }
        };
    }

    private static Context context(EngineModel model) {
        return Context.create(ContextOptions.builder().backend("host").configure(model).build());
    }

    private static SimDevice device(Context ctx) {
        return ((SimStream) Extensions.nativeStream(ctx.defaultStream())).device();
    }

    /** @return nanoseconds between events recorded around the kernel, after checking them against wall time */
    private static long timeKernel(Context ctx, String name) {
        KernelModule m = ctx.loadModule(ModuleSource.ptx(PTX));
        try (Stream s = ctx.createStream(); DeviceBuffer d = ctx.allocDevice(4);
                Event before = ctx.createEvent(EnumSet.of(EventOption.TIMING));
                Event after = ctx.createEvent(EnumSet.of(EventOption.TIMING))) {
            Kernel kernel = m.kernel(name);
            s.launch(kernel, LaunchConfig.forElements(1), d);   // warm up: no class loading between the events
            s.synchronize();
            long t0 = System.nanoTime();
            s.record(before);
            s.launch(kernel, LaunchConfig.forElements(1), d);
            s.record(after);
            s.synchronize();
            long wall = System.nanoTime() - t0;
            long elapsed = after.elapsedSince(before).toNanos();
            assertTrue(elapsed <= wall, "events measured " + elapsed / 1e6 + " ms, more than the wall time "
                    + wall / 1e6 + " ms");
            return elapsed;
        }
    }

    @Test
    void aTwinSlowerThanItsModelHoldsTheEngineForItsRealTime() {
        try (Context ctx = context(EngineModel.DEFAULT)) {
            long elapsed = timeKernel(ctx, "slow_java");
            assertTrue(elapsed >= 20 * MS, "a twin that took 20 ms (modelled 1 ms) was timed at " + elapsed / 1e6 + " ms");
            assertTrue(device(ctx).engineBusyNanos(Engine.COMPUTE) >= 2 * 20 * MS,
                    "the compute engine was busy " + device(ctx).engineBusyNanos(Engine.COMPUTE) / 1e6 + " ms");
        }
    }

    @Test
    void aTwinModelledLongerThanItsJavaCodeKeepsTheModelledTime() {
        try (Context ctx = context(EngineModel.builder().launchNanos(0).build())) {
            long elapsed = timeKernel(ctx, "long_model");
            assertTrue(elapsed >= 30 * MS && elapsed < 31 * MS, "a kernel modelled at 30 ms was timed at "
                    + elapsed / 1e6 + " ms");
        }
    }

    @Test
    void aCopySlowerThanItsModelHoldsItsCopyEngineForItsRealTime() {
        // a bandwidth no memcpy reaches: the model says about 64 ns for 64 MiB
        EngineModel fast = EngineModel.builder().h2dBytesPerSecond(1e15).copyLatencyNanos(0).build();
        long bytes = 64L << 20;
        try (Context ctx = context(fast); Stream s = ctx.createStream(); HostBuffer h = ctx.allocHost(bytes);
                DeviceBuffer d = ctx.allocDevice(bytes);
                Event before = ctx.createEvent(EnumSet.of(EventOption.TIMING));
                Event after = ctx.createEvent(EnumSet.of(EventOption.TIMING))) {
            s.copy(h, d);   // first touch of the pages, outside the measurement
            s.synchronize();
            long t0 = System.nanoTime();
            s.record(before);
            s.copy(h, d);
            s.record(after);
            s.synchronize();
            long wall = System.nanoTime() - t0;
            long elapsed = after.elapsedSince(before).toNanos();
            assertTrue(elapsed >= wall / 2 && elapsed <= wall, "a 64 MiB copy was timed at " + elapsed / 1e3
                    + " us by events and " + wall / 1e3 + " us by the wall clock");
            assertTrue(device(ctx).engineBusyNanos(Engine.COPY_H2D) >= elapsed / 2,
                    "the copy engine was busy " + device(ctx).engineBusyNanos(Engine.COPY_H2D) / 1e3 + " us");
        }
    }
}
