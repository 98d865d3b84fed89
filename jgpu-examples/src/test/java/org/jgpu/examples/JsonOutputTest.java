package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonOutputTest {

    @Test
    void writesNestedObjectsListsAndEscapedStringsOnOneLine() {
        ObjectNode j = JsonOutput.object().put("name", "a \"q\"\\\n\t\u0001").put("n", 3).put("ok", true).putNull("none")
                .put("ms", JsonOutput.round(1.23456, 3));
        j.putArray("list").add(JsonOutput.object().put("k", "v")).add(2.5);
        assertEquals("{\"name\":\"a \\\"q\\\"\\\\\\n\\t\\u0001\",\"n\":3,\"ok\":true,\"none\":null,\"ms\":1.235,"
                + "\"list\":[{\"k\":\"v\"},2.5]}", JsonOutput.write(j));
    }

    @Test
    void numbersThatAreNotFiniteAreWrittenAsNull() {
        ObjectNode j = JsonOutput.object().put("nan", Double.NaN).put("inf", Float.POSITIVE_INFINITY)
                .put("rounded", JsonOutput.round(Double.NEGATIVE_INFINITY, 3)).put("fine", 0.5);
        j.putArray("list").add(Double.NaN).add(1);
        j.putObject("inner").put("x", Double.NaN);
        assertEquals("{\"nan\":null,\"inf\":null,\"rounded\":null,\"fine\":0.5,\"list\":[null,1],\"inner\":{\"x\":null}}",
                JsonOutput.write(j));
    }
}
