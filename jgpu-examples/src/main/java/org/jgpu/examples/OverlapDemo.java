package org.jgpu.examples;

import java.util.Arrays;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.Module;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;

/**
 * Copy / compute / copy over chunks, first on one stream, then split over three streams
 * (upload, compute, download) ordered by events, with a ring of buffers so that chunk i+1 is
 * uploaded while chunk i computes and chunk i-1 downloads. Both runs check their results.
 */
public final class OverlapDemo {
    /**
     * The result of one run.
     *
     * @param mode {@code one-stream} or {@code three-streams}
     * @param wallNanos wall time of the run
     */
    public record Run(String mode, long wallNanos) {
    }

    private final Context ctx;
    private final int chunks;
    private final int elements;
    private final long spinNanos;
    private final Kernel scale;
    private final Kernel spin;

    /**
     * @param ctx the context
     * @param chunks how many chunks
     * @param elements floats per chunk
     * @param spinNanos extra compute per chunk (the {@code spin} kernel)
     */
    public OverlapDemo(Context ctx, int chunks, int elements, long spinNanos) {
        this.ctx = ctx;
        this.chunks = chunks;
        this.elements = elements;
        this.spinNanos = spinNanos;
        Module m = ctx.loadModule(ModuleSource.bundled());
        this.scale = m.kernel(BundledKernels.SCALE);
        this.spin = m.kernel(BundledKernels.SPIN);
    }

    private static float input(int chunk, int i) {
        return chunk * 0.5f + i % 97;
    }

    private static void fill(HostBuffer h, int chunk, float[] scratch) {
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = input(chunk, i);
        }
        h.write(0, scratch);
    }

    private static void check(HostBuffer h, int chunk, float[] scratch) {
        h.read(0, scratch);
        for (int i = 0; i < scratch.length; i += 1 + scratch.length / 64) {
            float want = 2f * input(chunk, i);
            if (scratch[i] != want) {
                throw new IllegalStateException("chunk " + chunk + " element " + i + ": got " + scratch[i] + ", want " + want);
            }
        }
    }

    private void compute(Stream s, DeviceBuffer d) {
        s.launch(scale, LaunchConfig.forElements(elements), d, 2f, elements);
        s.launch(spin, LaunchConfig.forElements(1), spinNanos);
    }

    /** @return the run on one stream: every step waits for the one before */
    public Run oneStream() {
        long bytes = 4L * elements;
        float[] scratch = new float[elements];
        try (Stream s = ctx.createStream(); HostBuffer h = ctx.allocHost(bytes); DeviceBuffer d = ctx.allocDevice(bytes)) {
            long t0 = System.nanoTime();
            for (int c = 0; c < chunks; c++) {
                fill(h, c, scratch);
                s.copy(h, d);
                compute(s, d);
                s.copy(d, h);
                s.synchronize();
                check(h, c, scratch);
            }
            return new Run("one-stream", System.nanoTime() - t0);
        }
    }

    /** @return the run over three streams and a ring of three buffer sets */
    public Run threeStreams() {
        int ring = 3;
        long bytes = 4L * elements;
        float[] scratch = new float[elements];
        Stream up = ctx.createStream();
        Stream comp = ctx.createStream();
        Stream down = ctx.createStream();
        HostBuffer[] hin = new HostBuffer[ring];
        HostBuffer[] hout = new HostBuffer[ring];
        DeviceBuffer[] dev = new DeviceBuffer[ring];
        Event[] downloaded = new Event[ring];
        try {
            for (int r = 0; r < ring; r++) {
                hin[r] = ctx.allocHost(bytes, "in" + r);
                hout[r] = ctx.allocHost(bytes, "out" + r);
                dev[r] = ctx.allocDevice(bytes, "dev" + r);
            }
            long t0 = System.nanoTime();
            for (int c = 0; c < chunks + ring; c++) {
                if (c >= ring) {
                    int r = c % ring;           // chunk c - ring used this slot: collect its result
                    downloaded[r].synchronize();
                    check(hout[r], c - ring, scratch);
                }
                if (c >= chunks) {
                    continue;
                }
                int r = c % ring;
                fill(hin[r], c, scratch);
                if (downloaded[r] != null) {
                    up.waitFor(downloaded[r]);  // the slot's device buffer is free again
                }
                up.copy(hin[r], dev[r]);
                comp.waitFor(up.record());
                compute(comp, dev[r]);
                down.waitFor(comp.record());
                down.copy(dev[r], hout[r]);
                downloaded[r] = down.record();
            }
            return new Run("three-streams", System.nanoTime() - t0);
        } finally {
            for (int r = 0; r < ring; r++) {
                close(hin[r]);
                close(hout[r]);
                close(dev[r]);
            }
            up.close();
            comp.close();
            down.close();
        }
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** @return both runs, one stream first */
    public Run[] both() {
        Run[] runs = {oneStream(), threeStreams()};
        return Arrays.copyOf(runs, runs.length);
    }
}
