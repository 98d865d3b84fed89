package org.jgpu.trace;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a {@link Timeline} as text, one row per lane, like the classic overlap diagrams:
 *
 * <pre>
 * cpu      PPPPP.C...PPPPP.C...PPPPP.C.
 * upload   .....U.........U.........U..
 * compute  ......#########.#########.##
 * download ...............D.........D..
 *          0 .. 15.20 ms; P prepare, C consume, U upload (copy H2D), # compute, D download (copy D2H), . idle
 * </pre>
 *
 * <p>Device work is drawn by engine; CPU work by the initial of its operation's first word. The
 * legend explains every letter the chart holds.
 */
public final class Gantt {
    private Gantt() {
    }

    /**
     * @param timeline what to draw
     * @param width characters for the time axis, at least 10
     * @return the chart, with a legend and the time scale
     * @throws IllegalArgumentException if width is below 10
     */
    public static String render(Timeline timeline, int width) {
        if (width < 10) {
            throw new IllegalArgumentException("width must be at least 10, got " + width);
        }
        long t0 = timeline.startNanos();
        long total = Math.max(1, timeline.endNanos() - t0);
        int labelWidth = Math.max(8, timeline.lanes().stream().mapToInt(String::length).max().orElse(8));
        StringBuilder out = new StringBuilder();
        Map<Character, Set<String>> legend = new LinkedHashMap<>();   // letters in order of first use
        for (String lane : timeline.lanes()) {
            char[] row = new char[width];
            Arrays.fill(row, '.');
            for (Span s : timeline.spans()) {
                if (!s.lane().equals(lane)) {
                    continue;
                }
                int from = (int) ((s.startNanos() - t0) * width / total);
                int to = (int) Math.max(from + 1, (s.endNanos() - t0) * width / total);
                char c = symbol(s);
                if (from < width) {   // drawn: its letter goes in the legend
                    legend.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(meaning(s));
                }
                for (int i = from; i < Math.min(to, width); i++) {
                    row[i] = c;
                }
            }
            out.append(String.format("%-" + labelWidth + "s ", lane)).append(row).append('\n');
        }
        out.append(String.format("%-" + labelWidth + "s ", "")).append(String.format("0 .. %.2f ms; ", total / 1e6));
        out.append(legend.entrySet().stream().map(e -> e.getKey() + " " + String.join(" / ", e.getValue()))
                .collect(Collectors.joining(", "))).append(legend.isEmpty() ? "" : ", ").append(". idle\n");
        return out.toString();
    }

    private static char symbol(Span s) {
        for (Engine e : Engine.values()) {
            if (e.label().equals(s.engine())) {
                return switch (e) {
                    case COPY_H2D -> 'U';
                    case COMPUTE -> '#';
                    case COPY_D2H -> 'D';
                    case COPY_PEER -> '=';   // not a letter: CPU spans take their first word's
                    case CPU -> Character.toUpperCase(cpuWord(s).charAt(0));
                };
            }
        }
        return '*';   // an engine of a span made elsewhere
    }

    /** @return what a span's letter stands for: its engine, or for CPU work its operation's first word */
    private static String meaning(Span s) {
        if (s.engine().equals(Engine.CPU.label())) {
            return cpuWord(s);
        }
        if (s.engine().equals(Engine.COPY_H2D.label())) {
            return "upload (copy H2D)";
        }
        if (s.engine().equals(Engine.COPY_D2H.label())) {
            return "download (copy D2H)";
        }
        if (s.engine().equals(Engine.COPY_PEER.label())) {
            return "copy between devices";
        }
        return s.engine();
    }

    /** @return the first word of a CPU span's operation, e.g. {@code prepare}; {@code cpu} when it has none */
    private static String cpuWord(Span s) {
        String word = s.op().strip().split("\\s+", 2)[0];
        return word.isEmpty() ? Engine.CPU.label() : word;
    }
}
