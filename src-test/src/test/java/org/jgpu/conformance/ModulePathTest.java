package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jgpu.Context;
import org.jgpu.cuda.CudaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jgpu's jars work on the module path: the modules resolve (JCuda as automatic modules), the
 * backends are found through {@code provides}, and the core is not exported.
 */
class ModulePathTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theJarsRunAsModulesWithTheCoreHidden() throws Exception {
        List<String> modules = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        modules.add(LayeringTest.location(Context.class).toString());
        modules.add(LayeringTest.location(CudaException.class).toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("slf4j-api") || name.startsWith("jcuda") || name.startsWith("jcublas")) {
                modules.add(entry);
            }
        }
        classes.add(LayeringTest.location(ModulePathProbe.class).toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--module-path", String.join(File.pathSeparator, modules),
                "--add-modules", "org.jgpu,org.jgpu.cuda", "-cp", String.join(File.pathSeparator, classes),
                ModulePathProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("named org.jgpu"), out);
        assertTrue(out.contains("backend host") && out.contains("backend cuda"), out);
        assertTrue(out.contains("copied 42"), out);
        assertTrue(out.contains("saxpy [3.0, 6.0, 9.0, 12.0]"), out);
        assertTrue(out.contains("internal hidden IllegalAccessException"), out);
    }
}
