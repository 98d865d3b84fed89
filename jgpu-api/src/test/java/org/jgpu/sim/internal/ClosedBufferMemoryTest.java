package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                "-cp", System.getProperty("java.class.path"), ClosedBufferChurn.class.getName(), "64");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), "the churn did not finish");
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("ok 192"), output);
    }
}
