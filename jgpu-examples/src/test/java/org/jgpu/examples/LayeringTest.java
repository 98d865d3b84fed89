package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The examples are written against the exported API only: {@code jdeps -verbose:package} finds
 * no dependency of theirs on jgpu's core ({@code org.jgpu.internal}) or the simulator's machinery
 * ({@code org.jgpu.sim.internal}), which users cannot reach either.
 */
class LayeringTest {

    @Test
    void theExamplesUseNoImplementationPackage() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is missing: run the build on a JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none", "--multi-release", "17",
                "-cp", System.getProperty("java.class.path"), classes.toString());
        assertEquals(0, rc, () -> err + "\n" + out);
        List<String> used = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith(" ") && f.length >= 3 && f[1].equals("->") && f[2].startsWith("org.jgpu")) {
                used.add(f[2]);
                if (f[2].startsWith("org.jgpu.internal") || f[2].startsWith("org.jgpu.sim.internal")) {
                    broken.add(f[0] + " -> " + f[2]);
                }
            }
        }
        assertTrue(used.contains("org.jgpu"), () -> "jdeps saw no use of the API in " + classes + ":\n" + out);
        assertEquals(List.of(), broken);
    }
}
