package org.jgpu.trace;

import java.util.Arrays;

/**
 * Renders a {@link Timeline} as text, one row per lane, like the classic overlap diagrams:
 *
 * <pre>
 * cpu:prepare  LLLLL.....LLLLL.....LLLLL
 * upload       .....U.........U.........U
 * compute      ......CCCCCCCCC.CCCCCCCCC.
 * </pre>
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
                for (int i = from; i < Math.min(to, width); i++) {
                    row[i] = c;
                }
            }
            out.append(String.format("%-" + labelWidth + "s ", lane)).append(row).append('\n');
        }
        out.append(String.format("%-" + labelWidth + "s ", "")).append(String.format("0 .. %.2f ms; ", total / 1e6));
        out.append(legend()).append('\n');
        return out.toString();
    }

    private static char symbol(Span s) {
        for (Engine e : Engine.values()) {
            if (e.label().equals(s.engine())) {
                return switch (e) {
                    case COPY_H2D -> 'U';
                    case COMPUTE -> '#';
                    case COPY_D2H -> 'D';
                    case CPU -> s.op().isEmpty() ? 'C' : Character.toUpperCase(s.op().charAt(0));
                };
            }
        }
        return '*';   // an engine of a span made elsewhere
    }

    private static String legend() {
        return "U upload, # compute, D download, CPU stages by their initial";
    }
}
