package org.jgpu.examples.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Medians of repeated samples after a warm-up: the statistic every row of the benchmark
 * reports, from the JVM side and from the native baseline alike.
 */
final class Sampler {
    /** One sample: nanoseconds per operation (or per byte moved, as the caller defines it). */
    @FunctionalInterface
    interface Sample {
        double nanos();
    }

    private final int warmUps;
    private final int repeats;

    /**
     * @param warmUps samples taken and dropped first (JIT, driver caches, lazy allocations)
     * @param repeats samples kept
     */
    Sampler(int warmUps, int repeats) {
        if (warmUps < 0 || repeats < 1) {
            throw new IllegalArgumentException("warmUps must be at least 0 and repeats at least 1, got " + warmUps
                    + " and " + repeats);
        }
        this.warmUps = warmUps;
        this.repeats = repeats;
    }

    int repeats() {
        return repeats;
    }

    /** @return the median of {@code repeats} samples taken after {@code warmUps} dropped ones */
    double median(Sample s) {
        for (int i = 0; i < warmUps; i++) {
            s.nanos();
        }
        double[] v = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            v[i] = s.nanos();
        }
        return median(v);
    }

    /**
     * Takes the samples of several sources in turns (one of each per round), so that drift, JIT
     * and the other sources' leftovers affect all alike.
     *
     * @return {@code [source][kept sample]}
     */
    double[][] interleaved(List<Sample> sources) {
        for (int i = 0; i < warmUps; i++) {
            sources.forEach(Sample::nanos);
        }
        double[][] v = new double[sources.size()][repeats];
        for (int i = 0; i < repeats; i++) {
            for (int j = 0; j < sources.size(); j++) {
                v[j][i] = sources.get(j).nanos();
            }
        }
        return v;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** A sampler with the same warm-up and {@code repeats} kept samples. */
    Sampler withRepeats(int repeats) {
        return new Sampler(warmUps, repeats);
    }
}
