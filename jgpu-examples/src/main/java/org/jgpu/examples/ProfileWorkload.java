package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import org.jgpu.sim.Sleeper;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.pipeline.BufferedPipeline;

/**
 * A pipeline workload with the stage times of a {@link Profile}: the CPU stage waits its load
 * time, copies move as many bytes as the device copies in the stage time (measured here), and
 * compute is a {@code spin} kernel of the stage time plus a small real kernel whose result each
 * batch checks.
 */
public final class ProfileWorkload implements Workload {
    private final Profile profile;
    private final long inputBytes;
    private final long outputBytes;
    private final Kernel spin;
    private final Kernel scale;
    private final double h2dBytesPerSecond;
    private final double d2hBytesPerSecond;

    /**
     * @param ctx the context the workload runs on (its copy bandwidth is measured once)
     * @param profile stage times
     */
    public ProfileWorkload(Context ctx, Profile profile) {
        this.profile = profile;
        KernelModule m = ctx.loadModule(ModuleSource.bundled());
        this.spin = m.kernel(BundledKernels.SPIN);
        this.scale = m.kernel(BundledKernels.SCALE);
        double[] bw = measureBandwidth(ctx);
        this.h2dBytesPerSecond = bw[0];
        this.d2hBytesPerSecond = bw[1];
        this.inputBytes = bytesFor(profile.uploadMs(), h2dBytesPerSecond);
        this.outputBytes = bytesFor(profile.downloadMs(), d2hBytesPerSecond);
    }

    private static long bytesFor(double ms, double bytesPerSecond) {
        return Math.max(64, (long) (ms / 1e3 * bytesPerSecond) / 64 * 64);
    }

    /** @return {h2d, d2h} bytes per second, from the median of timed 64 MiB copies after a warm-up */
    private static double[] measureBandwidth(Context ctx) {
        long bytes = 64L << 20;
        double[] out = new double[2];
        try (Stream s = ctx.createStream(); HostBuffer h = ctx.allocHost(bytes); DeviceBuffer d = ctx.allocDevice(bytes);
                Event a = ctx.createEvent(EnumSet.of(EventOption.TIMING));
                Event b = ctx.createEvent(EnumSet.of(EventOption.TIMING))) {
            for (int dir = 0; dir < 2; dir++) {
                long[] samples = new long[5];
                for (int i = -2; i < samples.length; i++) {
                    s.record(a);
                    if (dir == 0) {
                        s.copy(h, d);
                    } else {
                        s.copy(d, h);
                    }
                    s.record(b);
                    long t = Math.max(1, b.elapsedSince(a).toNanos());
                    if (i >= 0) {
                        samples[i] = t;
                    }
                }
                Arrays.sort(samples);
                out[dir] = bytes * 1e9 / samples[samples.length / 2];
            }
        }
        return out;
    }

    /** @return bytes uploaded per batch */
    public long inputBytes() {
        return inputBytes;
    }

    /** @return bytes downloaded per batch */
    public long outputBytes() {
        return outputBytes;
    }

    /** @return the profile */
    public Profile profile() {
        return profile;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s: load %.2f ms, upload %.2f ms (%d bytes), compute %.2f ms, "
                + "download %.2f ms (%d bytes) per batch", profile.name(), profile.loadMs(), profile.uploadMs(), inputBytes,
                profile.computeMs(), profile.downloadMs(), outputBytes);
    }

    @Override
    public ObjectNode json() {
        return profile.json();
    }

    @Override
    public BufferedPipeline.Builder apply(BufferedPipeline.Builder builder) {
        long loadNanos = (long) (profile.loadMs() * 1e6);
        long computeNanos = (long) (profile.computeMs() * 1e6);
        return builder.inputBytes(inputBytes).outputBytes(outputBytes)
                .prepare((batch, in) -> {
                    Sleeper.sleep(loadNanos);   // stands for CPU work of that length
                    in.putFloat(0, batch);
                    return true;
                })
                .compute((stream, in, out, batch) -> {
                    // the small real work first, the long spin last: when streams interleave their
                    // kernels, a batch is done as soon as its spin is
                    stream.copy(in, 0, out, 0, 4);
                    stream.launch(scale, LaunchConfig.forElements(1), out, 2f, 1);
                    stream.launch(spin, LaunchConfig.forElements(1), computeNanos);
                })
                .consume((batch, out) -> {
                    float got = out.getFloat(0);
                    if (got != 2f * batch) {
                        throw new IllegalStateException("batch " + batch + ": output " + got + ", expected " + 2f * batch);
                    }
                });
    }
}
