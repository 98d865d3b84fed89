package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A closed host-backend buffer gives its Java direct memory back even while the buffer object
 * is still referenced: {@link ClosedBufferChurn} allocates four times the direct-memory limit of
 * its JVM, keeping every closed buffer, and must not run out.
 */
class ClosedBufferMemoryTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closedBuffersStillReferencedDoNotHoldDirectMemory() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-XX:MaxDirectMemorySize=16m", "-Xmx256m", "-Xshare:auto",
                "-cp", classPath(), ClosedBufferChurn.class.getName(), "64");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), "the churn did not finish");
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("ok 192"), output);
    }

    /**
     * @return this JVM's classes as one class path for a child: the class path and module path,
     *         plus the test classes (patched into the module when the tests run on the module path)
     */
    static String classPath() throws IOException {
        StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
        String modules = System.getProperty("jdk.module.path");
        if (modules != null && !modules.isEmpty()) {
            cp.append(File.pathSeparator).append(modules);
        }
        try {
            cp.append(File.pathSeparator).append(Path.of(ClosedBufferChurn.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        return cp.toString();
    }
}
