package org.jgpu.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spans of work per stream and engine, from one origin: what ran where and when.
 *
 * <p>Get one from {@link Tracing#timeline(org.jgpu.Context)} (device work, timed by events) and
 * add host-side spans with {@link #with(List)}. Render it with {@link Gantt}, export it with
 * {@link ChromeTrace}, measure it with {@link #utilization(String)} and {@link #overlapNanos()}.
 *
 * @param spans the spans, ordered by start
 */
public record Timeline(List<Span> spans) {
    /**
     * Checks the components.
     *
     * @param spans the spans, ordered by start
     * @throws IllegalArgumentException if spans is null
     */
    public Timeline {
        if (spans == null) {
            throw new IllegalArgumentException("spans must not be null");
        }
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(Span::startNanos));
        spans = List.copyOf(sorted);
    }

    /**
     * @param more spans to add (host-side stages, say), on the same origin
     * @return a timeline with both
     */
    public Timeline with(List<Span> more) {
        List<Span> all = new ArrayList<>(spans);
        all.addAll(more);
        return new Timeline(all);
    }

    /** @return the earliest start, or 0 when empty */
    public long startNanos() {
        return spans.stream().mapToLong(Span::startNanos).min().orElse(0);
    }

    /** @return the latest end, or 0 when empty */
    public long endNanos() {
        return spans.stream().mapToLong(Span::endNanos).max().orElse(0);
    }

    /** @return the lanes in order of first appearance */
    public Set<String> lanes() {
        Set<String> out = new LinkedHashSet<>();
        spans.forEach(s -> out.add(s.lane()));
        return out;
    }

    /** @return the engines in order of first appearance */
    public Set<String> engines() {
        Set<String> out = new LinkedHashSet<>();
        spans.forEach(s -> out.add(s.engine()));
        return out;
    }

    /**
     * Time during which at least one span of the engine ran, over the whole timeline.
     *
     * @param engine an engine name
     * @return a fraction in [0, 1]
     */
    public double utilization(String engine) {
        long total = endNanos() - startNanos();
        if (total <= 0) {
            return 0;
        }
        return (double) busyNanos(engine) / total;
    }

    /**
     * Time during which at least one span of the engine ran: spans that overlap count once.
     *
     * @param engine an engine name
     * @return nanoseconds
     */
    public long busyNanos(String engine) {
        return union(spans.stream().filter(s -> s.engine().equals(engine)).toList());
    }

    /** @return utilization of every engine, in order of first appearance */
    public Map<String, Double> utilizations() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String e : engines()) {
            out.put(e, utilization(e));
        }
        return out;
    }

    /**
     * How much work ran side by side: the summed busy time of the engines minus the time any of
     * them was busy. Zero means nothing overlapped.
     *
     * @return nanoseconds of overlap
     */
    public long overlapNanos() {
        long perEngine = 0;
        for (String e : engines()) {
            perEngine += busyNanos(e);
        }
        return perEngine - union(spans);
    }

    /** Length of the union of the spans' intervals. */
    private static long union(List<Span> list) {
        List<Span> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(Span::startNanos));
        long total = 0;
        long curStart = Long.MIN_VALUE;
        long curEnd = Long.MIN_VALUE;
        for (Span s : sorted) {
            if (s.startNanos() > curEnd) {
                if (curEnd > curStart) {
                    total += curEnd - curStart;
                }
                curStart = s.startNanos();
                curEnd = s.endNanos();
            } else {
                curEnd = Math.max(curEnd, s.endNanos());
            }
        }
        if (curEnd > curStart) {
            total += curEnd - curStart;
        }
        return total;
    }
}
