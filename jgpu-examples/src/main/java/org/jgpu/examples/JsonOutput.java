package org.jgpu.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the examples write JSON (with {@code --json}): Jackson trees, keys in insertion order, and
 * only finite numbers: a NaN or infinity is written as {@code null}, since JSON has no such
 * numbers and strict readers (JavaScript's {@code JSON.parse}) refuse the {@code NaN} token.
 */
public final class JsonOutput {
    /** The one mapper: thread-safe once configured, and configured here only. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonOutput() {
    }

    /** @return an empty object, to fill with its chaining {@code put}s */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** @return an empty array */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /**
     * A number with a fixed count of decimals, where a reader compares runs by eye.
     *
     * @param value the number
     * @param decimals digits after the point
     * @return it rounded half-even, or unchanged if it is not finite (then written as null)
     */
    public static double round(double value, int decimals) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue()
                : value;
    }

    /**
     * Writes a tree on one line, non-finite numbers replaced by null.
     *
     * @param tree the document
     * @return its JSON text
     * @throws IllegalStateException if Jackson cannot write it (it can always write a tree)
     */
    public static String write(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(finite(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report: " + e.getMessage(), e);
        }
    }

    /** Replaces every NaN and infinity under {@code node} by null, in place; returns the node (or null for a bare one). */
    private static JsonNode finite(JsonNode node) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            return NullNode.getInstance();
        }
        if (node instanceof ObjectNode o) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(o.properties());
            for (Map.Entry<String, JsonNode> e : fields) {
                o.set(e.getKey(), finite(e.getValue()));
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, finite(a.get(i)));
            }
        }
        return node;
    }
}
