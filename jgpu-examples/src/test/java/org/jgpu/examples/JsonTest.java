package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedObjectsListsFixedDecimalsAndEscapedStrings() {
        Json j = new Json().put("name", "a \"q\"\\\n\t\u0001").put("n", 3).put("ok", true).put("none", null)
                .put("ms", 1.23456, 3).put("list", List.of(new Json().put("k", "v"), 2.5));
        assertEquals("{\"name\":\"a \\\"q\\\"\\\\\\n\\t\\u0001\",\"n\":3,\"ok\":true,\"none\":null,\"ms\":1.235,"
                + "\"list\":[{\"k\":\"v\"},2.50000]}", j.toString());
    }
}
