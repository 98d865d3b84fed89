package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed PTX and fatbin are what kernels/build.sh makes of the committed sources, when nvcc is here. */
class BundledPtxFreshnessTest {
    /** The project root: the working directory (a console runner) or its parent (Maven runs in the module). */
    private static final Path ROOT = java.util.stream.Stream.of(Path.of(""), Path.of(".."))
            .map(p -> p.toAbsolutePath().normalize()).filter(p -> Files.isRegularFile(p.resolve("kernels/build.sh")))
            .findFirst().orElse(null);
    private static final Pattern RELEASE = Pattern.compile("release (\\d+\\.\\d+), V[\\d.]+");

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static String release(String text) {
        Matcher m = RELEASE.matcher(text);
        return m.find() ? m.group(0) : "unknown";
    }

    @Test
    void committedPtxAndFatbinMatchTheSourcesWhenNvccIsPresent(@TempDir Path out) throws Exception {
        assumeTrue(ROOT != null, "kernels/build.sh not found from " + Path.of("").toAbsolutePath());
        Path resources = ROOT.resolve("jgpu-cuda/src/main/resources/org/jgpu/cuda/kernels");
        String version;
        try {
            version = run(ROOT, "nvcc", "--version");
        } catch (IOException e) {
            assumeTrue(false, "nvcc not found: the committed PTX and fatbin cannot be rebuilt here");
            return;
        }
        // the fatbin is assembled from the PTX in the same run, so the PTX header names both's nvcc
        String ptx = Files.readString(resources.resolve("jgpu_kernels.ptx"));
        assumeTrue(release(version).equals(release(ptx)), "the committed PTX and fatbin were built by nvcc "
                + release(ptx) + ", this is " + release(version) + ": outputs differ between releases");
        run(ROOT, "bash", "kernels/build.sh", out.toString());
        assertEquals(ptx, Files.readString(out.resolve("jgpu_kernels.ptx")),
                "kernels/*.cu or kernels/build.sh changed without rebuilding: run bash kernels/build.sh and commit its output");
        assertArrayEquals(Files.readAllBytes(resources.resolve("jgpu_kernels.fatbin")),
                Files.readAllBytes(out.resolve("jgpu_kernels.fatbin")),
                "the fatbin is not what kernels/build.sh makes: run bash kernels/build.sh and commit its output");
    }
}
