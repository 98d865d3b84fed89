package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-GPU guide's code, compiled and run as printed: its {@code java} blocks in order, as
 * one method (a block may use what an earlier one declared), on the host backend's simulated
 * devices; a {@code text} block right after a {@code java} block is that code's output.
 */
class MultiGpuGuideTest {
    private static final Path GUIDE = Path.of("..", "docs", "guide", "multi-gpu.md");
    private static final Pattern FENCE = Pattern.compile("```(\\w+)\\n(.*?)\\n```", Pattern.DOTALL);

    @TempDir
    Path classes;

    private record Block(String language, String body, int start, int end) {
    }

    @Test
    void everyCodeBlockCompilesAndRunsAndPrintsWhatTheGuideShows() throws Exception {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(guide);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2), m.start(), m.end()));
        }
        StringBuilder body = new StringBuilder();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (b.language().equals("java")) {
                body.append(b.body()).append('\n');
                Block next = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
                if (next != null && next.language().equals("text") && guide.substring(b.end(), next.start()).isBlank()) {
                    outputs.add(next.body());
                }
            }
        }
        assertTrue(body.length() > 0 && outputs.size() >= 2, "the guide's java blocks and their outputs: " + blocks);
        String source = "import org.jgpu.*;\nimport org.jgpu.sim.*;\nimport java.util.*;\n\npublic class Guide {\n"
                + "    public static void run() throws Exception {\n" + body + "    }\n}\n";
        Class<?> guideClass = SnippetCompiler.compile(classes, "Guide", source, "the multi-GPU guide's code");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            guideClass.getMethod("run").invoke(null);
        } finally {
            System.setOut(before);
        }
        String out = oneLine(printed.toString(StandardCharsets.UTF_8));
        for (String expected : outputs) {
            assertTrue(out.contains(oneLine(expected)), "the guide shows\n" + expected + "\nbut the code printed\n" + printed);
        }
    }

    /** @return the text with every run of white space one blank: the guide wraps long lines */
    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
