package org.jgpu.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jgpu.trace.ChromeTrace;

/** The one JSON object a command prints with {@code --json}: keys in insertion order. */
public final class Json {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /**
     * @param key the key
     * @param value a string, number, boolean, list, {@code Json}, {@link RawJson} or null
     * @return this
     */
    public Json put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Json) {
            return v.toString();
        }
        if (v instanceof RawJson) {
            return ((RawJson) v).text();
        }
        if (v instanceof Double || v instanceof Float) {
            return String.format(Locale.ROOT, "%.6g", ((Number) v).doubleValue());
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List) {
            StringBuilder b = new StringBuilder("[");
            List<?> l = (List<?>) v;
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ",").append(value(l.get(i)));
            }
            return b.append(']').toString();
        }
        return ChromeTrace.quote(v.toString());
    }

    /** JSON text already formed. */
    public record RawJson(String text) {
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            b.append(first ? "" : ",").append(ChromeTrace.quote(e.getKey())).append(':').append(value(e.getValue()));
            first = false;
        }
        return b.append('}').toString();
    }
}
