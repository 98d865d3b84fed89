package org.jgpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgpu.trace.ChromeTrace;
import org.jgpu.trace.Gantt;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private final Timeline t = new Timeline(List.of(
            new Span("cpu", Span.CPU, "load", 0, 50),
            new Span("s1", "copy H2D", "copy H2D", 50, 60),
            new Span("s2", "compute", "launch k", 60, 160),
            new Span("cpu", Span.CPU, "load", 60, 110),
            new Span("s1", "copy H2D", "copy H2D", 110, 120)));

    @Test
    void utilizationCountsTheUnionOfAnEnginesSpans() {
        assertEquals(160, t.endNanos());
        assertEquals(100.0 / 160, t.utilization("compute"), 1e-9);
        assertEquals(20.0 / 160, t.utilization("copy H2D"), 1e-9);
        assertEquals(100.0 / 160, t.utilization("cpu"), 1e-9);
    }

    @Test
    void overlapIsBusyTimeBeyondTheUnion() {
        // busy per engine: cpu 100, copy 20, compute 100 = 220; union of everything: 160
        assertEquals(60, t.overlapNanos());
        assertEquals(0, new Timeline(List.of(new Span("a", "x", "o", 0, 10), new Span("b", "y", "o", 10, 20))).overlapNanos());
    }

    @Test
    void ganttDrawsOneRowPerLaneInTimeOrder() {
        String g = Gantt.render(t, 16);
        String[] rows = g.split("\n");
        assertEquals(4, rows.length, g);
        assertTrue(rows[0].startsWith("cpu") && rows[0].endsWith("LLLLL.LLLLL....."), g);
        assertTrue(rows[2].endsWith("......##########"), g);
        assertTrue(rows[3].endsWith("0 .. 0.00 ms; L load, U upload (copy H2D), # compute, . idle"), g);
    }

    @Test
    void ganttLegendNamesEveryCpuOperationSharingALetter() {
        String g = Gantt.render(new Timeline(List.of(new Span("cpu", Span.CPU, "consume 1", 0, 10),
                new Span("cpu", Span.CPU, "compress 1", 10, 20), new Span("gpu", "vector unit", "k", 20, 30))), 30);
        assertTrue(g.contains("C consume / compress, * vector unit, . idle"), g);
    }

    @Test
    void chromeTraceWritesSpanArgumentsAndKeepsNonFiniteNumbersOutOfTheJson() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("batch", 3L);
        args.put("ratio", Double.NaN);
        args.put("rate", Double.POSITIVE_INFINITY);
        args.put("scale", 0.5f);
        args.put("tag", "a\"b");
        args.put("warm", true);
        String json = ChromeTrace.json(new Timeline(List.of(new Span("cpu", Span.CPU, "prepare 3", 0, 10, args))));
        assertTrue(json.contains("\"args\":{\"batch\":3,\"ratio\":\"NaN\",\"rate\":\"Infinity\",\"scale\":0.5,"
                + "\"tag\":\"a\\\"b\",\"warm\":true}"), json);
        assertTrue(!ChromeTrace.json(t).contains("\"args\":{}"), "spans without arguments write none");
    }

    @Test
    void aSpanArgumentThatJsonCannotHoldIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Span("cpu", Span.CPU, "prepare 1", 0, 1, Map.of("when", new Object())));
        assertTrue(e.getMessage().contains("'when'") && e.getMessage().contains("'prepare 1'"), e.getMessage());
    }

    @Test
    void chromeTraceEscapesNamesAndUsesMicroseconds() {
        String json = ChromeTrace.json(new Timeline(List.of(new Span("lane \"1\"", "compute", "k\n", 1_000, 3_500))));
        assertTrue(json.contains("\"name\":\"lane \\\"1\\\"\""), json);
        assertTrue(json.contains("\"name\":\"k\\n\"") && json.contains("\"ts\":0.000") && json.contains("\"dur\":2.500"), json);
    }
}
