package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * What a data-parallel step costs besides the small linear model it really trains: device
 * compute per sample (the {@code spin} kernel, standing for the other layers of a larger model)
 * and more gradient to all-reduce (zeros, standing for those layers' parameters). The ratio of
 * the two decides how well data parallelism scales.
 *
 * @param name {@code compute}, {@code comm} or {@code custom}
 * @param computeMicrosPerSample device compute per sample of a shard, in microseconds
 * @param extraGradientMiB gradient all-reduced each step besides the linear model's, in MiB
 */
public record ParallelProfile(String name, double computeMicrosPerSample, double extraGradientMiB) {

    /** Compute-bound: 200 us of device compute per sample and no more gradient than the model's. */
    public static final ParallelProfile COMPUTE = new ParallelProfile("compute", 200, 0);
    /** Communication-bound: 5 us per sample and 16 MiB more gradient to all-reduce each step. */
    public static final ParallelProfile COMM = new ParallelProfile("comm", 5, 16);

    /**
     * Checks the components.
     *
     * @param name the profile's name
     * @param computeMicrosPerSample microseconds per sample, finite and not negative
     * @param extraGradientMiB MiB, finite, not negative, at most 1024
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ParallelProfile {
        if (!(computeMicrosPerSample >= 0) || !Double.isFinite(computeMicrosPerSample)) {
            throw new IllegalArgumentException("compute per sample must be finite and not negative, got "
                    + computeMicrosPerSample + " us");
        }
        if (!(extraGradientMiB >= 0) || !(extraGradientMiB <= 1024)) {
            throw new IllegalArgumentException("the extra gradient must be 0 to 1024 MiB, got " + extraGradientMiB);
        }
    }

    /**
     * @param text {@code compute}, {@code comm}, or {@code US,MIB}: microseconds of compute per
     *        sample and MiB of extra gradient
     * @return the profile
     * @throws IllegalArgumentException if it is none of those, or a value is out of range
     */
    public static ParallelProfile parse(String text) {
        if (text.equals(COMPUTE.name())) {
            return COMPUTE;
        }
        if (text.equals(COMM.name())) {
            return COMM;
        }
        String[] parts = text.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("unknown profile '" + text + "': use compute, comm, or US,MIB (microseconds "
                    + "of compute per sample, MiB of extra gradient)");
        }
        try {
            return new ParallelProfile("custom", Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("profile '" + text + "': both values must be numbers", e);
        }
    }

    /** @return nanoseconds of device compute per sample */
    public long computeNanosPerSample() {
        return Math.round(computeMicrosPerSample * 1e3);
    }

    /** @return the extra gradient in floats, rounded down */
    public long extraGradientFloats() {
        return (long) (extraGradientMiB * (1 << 20)) / Float.BYTES;
    }

    /** @return what the profile adds, in words */
    public String describe() {
        String compute = String.format(Locale.ROOT, "%s: %s us of device compute per sample (the spin kernel)", name,
                number(computeMicrosPerSample));
        return extraGradientMiB == 0 ? compute : compute + String.format(Locale.ROOT, ", %s MiB more gradient (zeros) "
                + "all-reduced each step", number(extraGradientMiB));
    }

    /** @return the number without a fraction when it has none */
    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** @return the profile as a JSON object */
    public ObjectNode json() {
        return JsonOutput.object().put("name", name).put("computeMicrosPerSample", computeMicrosPerSample)
                .put("extraGradientMiB", extraGradientMiB);
    }
}
