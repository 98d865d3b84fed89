package org.jgpu.examples;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one JSON writer of the examples: an object, keys in insertion order, as a command prints
 * it with {@code --json}.
 */
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

    /**
     * A number with a fixed count of decimals, where a reader compares runs by eye.
     *
     * @param key the key
     * @param value the number
     * @param decimals digits after the point
     * @return this
     */
    public Json put(String key, double value, int decimals) {
        return put(key, new RawJson(String.format(Locale.ROOT, "%." + decimals + "f", value)));
    }

    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Json) {
            return v.toString();
        }
        if (v instanceof RawJson raw) {
            return raw.text();
        }
        if (v instanceof Double || v instanceof Float) {
            return String.format(Locale.ROOT, "%.6g", v);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ",").append(value(l.get(i)));
            }
            return b.append(']').toString();
        }
        return quote(v.toString());
    }

    /** @return {@code s} as a JSON string literal, escaped by Jackson */
    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    /** JSON text already formed. */
    public record RawJson(String text) {
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            b.append(first ? "" : ",").append(quote(e.getKey())).append(':').append(value(e.getValue()));
            first = false;
        }
        return b.append('}').toString();
    }
}
