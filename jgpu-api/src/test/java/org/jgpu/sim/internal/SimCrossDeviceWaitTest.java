package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.jgpu.Access;
import org.jgpu.AsyncOperationException;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.DeviceGroup;
import org.jgpu.Event;
import org.jgpu.Kernel;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeStream;
import org.jgpu.sim.DeviceFaultException;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.KernelCall;
import org.jgpu.sim.KernelTwin;
import org.jgpu.sim.KernelTwins;
import org.junit.jupiter.api.Test;

/** A stream of one simulated device waits for an event of another: ordered, and never stuck on the other's end. */
class SimCrossDeviceWaitTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final long HOLD_NANOS = 60_000_000;
    private static final String FAULT = "cross-device wait test's simulated fault";
    private static final String PTX = ".version 9.0\n.target sm_75\n.address_size 64\n"
            + ".visible .entry xdev_fault(\n.param .u64 xdev_fault_param_0\n)\n{\nret;\n}\n";

    private static DeviceGroup group() {
        return SimPeerCopyTest.group(EngineModel.builder().devices(2).build(), 2);
    }

    /** Holds the stream for {@link #HOLD_NANOS} of real time: its worker sleeps, so later work really runs later. */
    private static void hold(Context ctx, Stream s) {
        Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
        DeviceBuffer progress = ctx.allocDevice(8);
        DeviceBuffer cancel = ctx.allocDevice(4);
        s.fill(cancel, 0);
        s.launch(loop, LaunchConfig.forElements(1), progress, cancel, 6L, HOLD_NANOS / 6);
    }

    @Test
    void aWaitForAnotherDevicesEventOrdersACopyAfterIt() {
        try (DeviceGroup g = group()) {
            Context c0 = g.context(0);
            Context c1 = g.context(1);
            Stream s0 = c0.createStream();
            Stream s1 = c1.createStream();
            DeviceBuffer a = c0.allocDevice(4000);
            DeviceBuffer b = c1.allocDevice(4000);
            s0.fill(a, 0f);
            s0.synchronize();
            long t0 = System.nanoTime();
            hold(c0, s0);
            s0.fill(a, 7f);
            s1.waitFor(s0.record());
            s1.copy(a, b);                      // would read zeros were it not after the fill
            float[] out = new float[1000];
            s1.copy(b, out);
            long wall = System.nanoTime() - t0;
            float[] sevens = new float[1000];
            Arrays.fill(sevens, 7f);
            assertArrayEquals(sevens, out);
            assertTrue(wall >= HOLD_NANOS, "the copy ended " + wall + " ns after the start, before device 0's work");
        }
    }

    /**
     * On the backend's own level, where a stream can be destroyed with work still queued (the
     * core synchronizes a stream before it closes it): the queued record still completes.
     */
    @Test
    void aWaitForAnEventOfAStreamDestroyedWithQueuedWorkEnds() {
        EngineModel model = EngineModel.builder().devices(2).build();
        SimDevice d0 = new SimDevice(model, 0);
        SimDevice d1 = new SimDevice(model, 1);
        try {
            NativeStream s0 = d0.createStream(StreamOptions.DEFAULT);
            NativeStream s1 = d1.createStream(StreamOptions.DEFAULT);
            NativeEvent e = d0.createEvent(Set.of());
            long t0 = System.nanoTime();
            s0.hostCallback(() -> {
                try {
                    Thread.sleep(HOLD_NANOS / 1_000_000);    // not a park: destroy() unparks the worker
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            s0.record(e);
            s0.destroy();
            s1.waitEvent(e);
            assertTimeoutPreemptively(BOUND, s1::synchronize);
            assertTrue(System.nanoTime() - t0 >= HOLD_NANOS, "s1 did not wait for the destroyed stream's work");
            s1.destroy();
        } finally {
            d0.close();
            d1.close();
        }
    }

    @Test
    void aWaitForAnEventOfADeviceLostMeanwhileEnds() {
        KernelTwins.register(new KernelTwin() {
            @Override
            public KernelSignature signature() {
                return KernelSignature.of("xdev_fault", KernelParam.pointer("x", Access.READ_WRITE));
            }

            @Override
            public void run(KernelCall call) {
                throw new DeviceFaultException(FAULT);
            }

            @Override
            public long modelledNanos(KernelCall call, EngineModel model) {
                return 1_000;
            }
        });
        try (DeviceGroup g = group()) {
            Context c0 = g.context(0);
            Stream s0 = c0.createStream();
            Stream s1 = g.context(1).createStream();
            DeviceBuffer x = c0.allocDevice(4);
            hold(c0, s0);
            s0.launch(c0.loadModule(ModuleSource.ptx(PTX)).kernel("xdev_fault"), LaunchConfig.forElements(1), x);
            Event e = s0.record();
            s1.waitFor(e);
            assertTimeoutPreemptively(BOUND, s1::synchronize);
            AsyncOperationException lost = assertThrows(AsyncOperationException.class, s0::synchronize);
            assertTrue(String.valueOf(lost.getCause()).contains(FAULT), String.valueOf(lost));
            lost = assertThrows(AsyncOperationException.class, g::close, "closing the group reports the lost device");
            assertTrue(String.valueOf(lost.getCause()).contains(FAULT), String.valueOf(lost));
        }
    }
}
