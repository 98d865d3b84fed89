package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's code, compiled and run exactly as printed: the block after "## A short tour" and
 * the block after the {@code <!-- readme-test: loop -->} comment, each wrapped in a class with
 * the imports a reader writes and the few definitions a reader supplies.
 */
class ReadmeTest {
    /** The module's directory is the tests' working directory; the README is the project's. */
    private static final Path README = Path.of("..", "README.md");
    private static final String IMPORTS = "import org.jgpu.*;\nimport org.jgpu.pipeline.*;\nimport org.jgpu.blas.*;\n\n";
    private static final String TOUR = "## A short tour";
    private static final String LOOP = "<!-- readme-test: loop";

    @TempDir
    Path classes;

    private static String readme() throws IOException {
        assertTrue(Files.isRegularFile(README), "no README.md at " + README.toAbsolutePath().normalize());
        return Files.readString(README, StandardCharsets.UTF_8);
    }

    /**
     * @return the body of the first ```java block after {@code marker}, in the same section
     * @throws AssertionError naming the marker if it or its block is missing
     */
    static String javaBlockAfter(String text, String marker) {
        int at = text.indexOf(marker);
        if (at < 0) {
            fail("README.md has no '" + marker + "': the test compiles the ```java block that follows it");
        }
        int open = text.indexOf("```java\n", at);
        int nextSection = text.indexOf("\n## ", at + marker.length());
        if (open < 0 || nextSection >= 0 && open > nextSection) {
            fail("README.md has no ```java block after '" + marker + "' in its section");
        }
        int body = open + "```java\n".length();
        int close = text.indexOf("\n```", body - 1);
        if (close < 0) {
            fail("README.md's ```java block after '" + marker + "' is not closed");
        }
        return text.substring(body, close + 1);
    }

    @Test
    void theTourCompilesAndDoublesTheData() throws Exception {
        String source = IMPORTS + """
                public class Tour {
                    static final int n = 1 << 12;
                    static final float[] data = new float[n];
                    static int polls;

                    static void doOtherWork() {
                        polls++;
                    }

                    public static float[] run() {
                        for (int i = 0; i < n; i++) {
                            data[i] = i;
                        }
                """ + javaBlockAfter(readme(), TOUR) + """
                        return data;
                    }
                }
                """;
        String before = System.getProperty(ContextOptions.BACKEND_PROPERTY);
        System.setProperty(ContextOptions.BACKEND_PROPERTY, "host");   // Context.create() as printed, on the host backend
        float[] data;
        try {
            data = (float[]) compile("Tour", source).getMethod("run").invoke(null);
        } finally {
            if (before == null) {
                System.clearProperty(ContextOptions.BACKEND_PROPERTY);
            } else {
                System.setProperty(ContextOptions.BACKEND_PROPERTY, before);
            }
        }
        assertEquals(2f, data[1], "data[1] is twice its original value");
        assertEquals(2f * (data.length - 1), data[data.length - 1]);
    }

    @Test
    void theLoopCompilesAndConsumesEveryBatchWithItsOutput() throws Exception {
        String source = IMPORTS + """
                public class Loop {
                    static final int ROWS = 8;
                    static final int IN = 16;
                    static final int OUT = 4;
                    static final int batches = 12;
                    static final float[][] outputs = new float[batches][ROWS * OUT];
                    static DeviceBuffer w;

                    static float[] input(long batch) {
                        float[] x = new float[ROWS * IN];
                        for (int k = 0; k < x.length; k++) {
                            x[k] = (batch * 7 + k) % 5;
                        }
                        return x;
                    }

                    static void forward(Stream stream, DeviceBuffer x, DeviceBuffer y) {
                        Blas.on(stream).sgemm(Transpose.NONE, Transpose.NONE, ROWS, OUT, IN, 1f, x, w, 0f, y);
                    }

                    public static float[][] run(Context ctx, float[] weights) {
                        try (DeviceBuffer weightsOnDevice = ctx.allocDevice(4L * IN * OUT, "W")) {
                            ctx.defaultStream().copy(weights, weightsOnDevice);
                            w = weightsOnDevice;
                """ + javaBlockAfter(readme(), LOOP) + """
                        }
                        return outputs;
                    }
                }
                """;
        int rows = 8;
        int in = 16;
        int out = 4;
        float[] weights = new float[in * out];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = k % 3 - 1;
        }
        float[][] got;
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build())) {
            got = (float[][]) compile("Loop", source).getMethod("run", Context.class, float[].class).invoke(null, ctx, weights);
        }
        for (int batch = 0; batch < got.length; batch++) {
            float[] want = new float[rows * out];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < out; c++) {
                    for (int k = 0; k < in; k++) {
                        want[r * out + c] += ((batch * 7 + r * in + k) % 5) * weights[k * out + c];
                    }
                }
            }
            assertArrayEquals(want, got[batch], "batch " + batch + " consumed with its own output");
        }
    }

    @Test
    void aMissingBlockIsNamed() {
        AssertionError e = assertThrows(AssertionError.class, () -> javaBlockAfter("# jgpu\n\n## A short tour\n\nno code\n\n## Next\n"
                + "```java\nint x;\n```\n", TOUR));
        assertTrue(e.getMessage().contains("no ```java block after '## A short tour'"), e.getMessage());
        e = assertThrows(AssertionError.class, () -> javaBlockAfter("# jgpu\n", LOOP));
        assertTrue(e.getMessage().contains("has no '<!-- readme-test: loop'"), e.getMessage());
        assertEquals("int x;\n", javaBlockAfter("## A short tour\n\n```java\nint x;\n```\n", TOUR));
    }

    private Class<?> compile(String name, String source) throws Exception {
        return SnippetCompiler.compile(classes, name, source, "the README's code");
    }
}
