package org.jgpu.trace;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Exports a {@link Timeline} as Chrome trace-event JSON, which Perfetto and chrome://tracing
 * open: one complete event ({@code "ph":"X"}) per span, with the span's {@link Span#args() args},
 * one thread per lane.
 */
public final class ChromeTrace {
    /** What JSON accepts as a number; NaN and infinities are not. */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private ChromeTrace() {
    }

    /**
     * @param timeline the spans
     * @return the JSON document
     */
    public static String json(Timeline timeline) {
        Map<String, Integer> tids = new LinkedHashMap<>();
        for (String lane : timeline.lanes()) {
            tids.put(lane, tids.size() + 1);
        }
        long t0 = timeline.startNanos();
        StringBuilder out = new StringBuilder("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[");
        boolean first = true;
        for (Map.Entry<String, Integer> e : tids.entrySet()) {
            out.append(first ? "" : ",").append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":")
                    .append(e.getValue()).append(",\"args\":{\"name\":").append(quote(e.getKey())).append("}}");
            first = false;
        }
        for (Span s : timeline.spans()) {
            out.append(",{\"name\":").append(quote(s.op())).append(",\"cat\":").append(quote(s.engine()))
                    .append(",\"ph\":\"X\",\"pid\":1,\"tid\":").append(tids.get(s.lane()))
                    .append(",\"ts\":").append(micros(s.startNanos() - t0))
                    .append(",\"dur\":").append(micros(s.nanos()));
            if (!s.args().isEmpty()) {
                out.append(",\"args\":{");
                boolean firstArg = true;
                for (Map.Entry<String, Object> a : s.args().entrySet()) {
                    out.append(firstArg ? "" : ",").append(quote(a.getKey())).append(':').append(value(a.getValue()));
                    firstArg = false;
                }
                out.append('}');
            }
            out.append('}');
        }
        return out.append("]}").toString();
    }

    /**
     * A span argument as a JSON value. A number JSON cannot hold (NaN, an infinity) is written
     * as a string, {@code "NaN"}, so that the document stays valid.
     */
    private static String value(Object v) {
        if (v instanceof Boolean) {
            return v.toString();
        }
        String text = v.toString();
        return v instanceof Number && JSON_NUMBER.matcher(text).matches() ? text : quote(text);
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e3);
    }

    /** @return {@code s} as a JSON string literal */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
