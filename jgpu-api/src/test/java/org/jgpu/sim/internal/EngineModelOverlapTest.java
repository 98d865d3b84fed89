package org.jgpu.sim.internal;

import org.jgpu.sim.EngineModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.spi.Extensions;
import org.jgpu.trace.Engine;
import org.junit.jupiter.api.Test;

/**
 * The engine model makes overlap visible in wall time: copy / compute / copy over three streams
 * with events beats one stream, close to what the model predicts.
 */
class EngineModelOverlapTest {
    private static final int CHUNKS = 12;
    private static final long BYTES = 2_000_000;          // 2 ms per copy at 1 GB/s
    private static final long COMPUTE_NS = 2_000_000;     // 2 ms of compute per chunk
    private static final long STAGE_NS = 2_000_000;

    private static Context context() {
        EngineModel model = EngineModel.builder().h2dBytesPerSecond(1e9).d2hBytesPerSecond(1e9)
                .copyLatencyNanos(0).launchNanos(0).build();
        return Context.create(ContextOptions.builder().backend("host").configure(model).build());
    }

    private static long oneStream(Context ctx, Kernel spin) {
        try (Stream s = ctx.createStream(); HostBuffer h = ctx.allocHost(BYTES); DeviceBuffer d = ctx.allocDevice(BYTES)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < CHUNKS; i++) {
                s.copy(h, d);
                s.launch(spin, LaunchConfig.forElements(1), COMPUTE_NS);
                s.copy(d, h);
            }
            s.synchronize();
            return System.nanoTime() - t0;
        }
    }

    /** Three device buffers in a ring: chunk i reuses chunk i-3's buffer once its download is done. */
    private static long threeStreams(Context ctx, Kernel spin) {
        try (Stream up = ctx.createStream(); Stream comp = ctx.createStream(); Stream down = ctx.createStream();
                HostBuffer hin = ctx.allocHost(BYTES); HostBuffer hout = ctx.allocHost(BYTES);
                DeviceBuffer a = ctx.allocDevice(BYTES); DeviceBuffer b = ctx.allocDevice(BYTES);
                DeviceBuffer c = ctx.allocDevice(BYTES)) {
            DeviceBuffer[] ring = {a, b, c};
            Event[] freed = new Event[ring.length];
            long t0 = System.nanoTime();
            for (int i = 0; i < CHUNKS; i++) {
                int slot = i % ring.length;
                if (freed[slot] != null) {
                    up.waitFor(freed[slot]);
                }
                up.copy(hin, ring[slot]);
                comp.waitFor(up.record());
                comp.launch(spin, LaunchConfig.forElements(1), COMPUTE_NS);
                down.waitFor(comp.record());
                down.copy(ring[slot], hout);
                freed[slot] = down.record();
            }
            down.synchronize();
            return System.nanoTime() - t0;
        }
    }

    @Test
    void threeStreamsWithEventsBeatOneStreamAsTheModelPredicts() {
        try (Context ctx = context()) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            oneStream(ctx, spin);                      // warm up the JIT and the threads
            long seq = oneStream(ctx, spin);
            long par = threeStreams(ctx, spin);
            long modelSeq = CHUNKS * 3 * STAGE_NS;                 // 72 ms: nothing overlaps
            long modelPar = 3 * STAGE_NS + (CHUNKS - 1) * STAGE_NS; // 28 ms: fill, then one stage per chunk
            String report = String.format("one stream %.1f ms (model %.1f), three streams %.1f ms (model %.1f)",
                    seq / 1e6, modelSeq / 1e6, par / 1e6, modelPar / 1e6);
            assertTrue(seq >= 0.95 * modelSeq, "one stream ran faster than its engines allow: " + report);
            assertTrue(par >= 0.95 * modelPar, "three streams ran faster than the model allows: " + report);
            assertTrue(par < 0.75 * seq, "three streams did not overlap: " + report);
            assertTrue(par < modelPar + 0.6 * (modelSeq - modelPar), "three streams far from the model: " + report);
            SimDevice dev = ((SimStream) Extensions.nativeStream(ctx.defaultStream())).device();
            assertEquals(3 * CHUNKS * COMPUTE_NS, dev.engineBusyNanos(Engine.COMPUTE),
                    "the compute engine is busy exactly the modelled kernel time of the three runs");
            assertEquals(3 * CHUNKS * STAGE_NS, dev.engineBusyNanos(Engine.COPY_H2D));
        }
    }
}
