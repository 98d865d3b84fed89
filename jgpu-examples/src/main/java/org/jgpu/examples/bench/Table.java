package org.jgpu.examples.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's table: a row per measurement, a column per implementation, and how jgpu
 * compares: its value divided by the baseline's (for {@code us} rows above 1 means slower; for
 * rates below 1 means slower) and, for {@code us} rows, how many microseconds it adds over native.
 */
final class Table {
    private Table() {
    }

    static void print(PrintStream out, List<Suite.Row> rows, Map<String, Map<String, Double>> columns) {
        boolean jcuda = columns.containsKey("jcuda");
        boolean nat = columns.containsKey("native");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-26s %-10s %12s", "measurement", "unit", "jgpu"));
        if (jcuda) {
            head.append(String.format(Locale.ROOT, " %12s %11s", "jcuda", "jgpu/jcuda"));
        }
        if (nat) {
            head.append(String.format(Locale.ROOT, " %12s %11s %12s", "native", "jgpu/native", "jgpu-native"));
        }
        out.println(head);
        for (Suite.Row r : rows) {
            Double j = columns.get("jgpu").get(r.name());
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-26s %-10s %12s", r.name(), r.unit(), num(j)));
            if (jcuda) {
                Double c = columns.get("jcuda").get(r.name());
                line.append(String.format(Locale.ROOT, " %12s %11s", num(c), ratio(j, c)));
            }
            if (nat) {
                Double n = columns.get("native").get(r.name());
                line.append(String.format(Locale.ROOT, " %12s %11s %12s", num(n), ratio(j, n),
                        r.lowerIsBetter() && j != null && n != null ? String.format(Locale.ROOT, "%+.3f", j - n) : "-"));
            }
            out.println(line);
        }
    }

    private static String num(Double v) {
        if (v == null) {
            return "-";
        }
        double a = Math.abs(v);
        return a >= 1e5 ? String.format(Locale.ROOT, "%.0f", v) : a >= 100 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? "-" : String.format(Locale.ROOT, "%.3f", a / b);
    }
}
