package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import org.jgpu.Context;
import org.jgpu.cuda.CudaException;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point down: what {@code jdeps -verbose:package} finds in the jars' classes. The
 * API names no backend, the core names none either, the SPI, tracing, pipelines and this suite
 * use no implementation package, and the CUDA backend uses neither the core nor the simulator.
 */
class LayeringTest {

    /** One package-to-package dependency that jdeps found. */
    record Edge(String from, String to) {
        boolean matches(String fromPrefix, String toPrefix) {
            return inside(from, fromPrefix) && inside(to, toPrefix);
        }

        private static boolean inside(String pkg, String prefix) {
            return pkg.equals(prefix) || pkg.startsWith(prefix + ".");
        }
    }

    /** A dependency that must not exist: from packages under one prefix to those under another. */
    record Rule(String fromPrefix, String toPrefix, String why) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("org.jgpu.spi", "org.jgpu.internal", "the SPI is implemented by backends, not by the core"),
            new Rule("org.jgpu.spi", "org.jgpu.sim", "the SPI names no backend"),
            new Rule("org.jgpu.trace", "org.jgpu.internal", "tracing is built on the API"),
            new Rule("org.jgpu.trace", "org.jgpu.sim", "tracing names no backend"),
            new Rule("org.jgpu.pipeline", "org.jgpu.internal", "pipelines are built on the API alone"),
            new Rule("org.jgpu.pipeline", "org.jgpu.sim", "pipelines name no backend"),
            new Rule("org.jgpu.blas", "org.jgpu.internal", "the BLAS facade is built on the API and the SPI"),
            new Rule("org.jgpu.blas", "org.jgpu.sim", "the BLAS facade names no backend"),
            new Rule("org.jgpu.blas", "org.jgpu.cuda", "the BLAS facade names no backend"),
            new Rule("org.jgpu.internal", "org.jgpu.sim", "the core names no backend"),
            new Rule("org.jgpu.internal", "org.jgpu.cuda", "the core names no backend"),
            new Rule("org.jgpu.conformance", "org.jgpu.internal", "the suite tests the API, not the core"),
            new Rule("org.jgpu.conformance", "org.jgpu.sim.internal", "the suite uses the simulator's exported surface only"),
            new Rule("org.jgpu.cuda", "org.jgpu.internal", "a backend sees the SPI, not the core"),
            new Rule("org.jgpu.cuda", "org.jgpu.sim", "the CUDA backend needs nothing of the simulator"));

    @Test
    void noPackageDependsOnALayerAboveItOrOnAnImplementation() throws Exception {
        List<Edge> edges = new ArrayList<>();
        edges.addAll(packageEdges(location(Context.class)));
        edges.addAll(packageEdges(location(CudaException.class)));
        edges.addAll(packageEdges(location(LayeringTest.class)));
        assertTrue(edges.stream().anyMatch(e -> e.matches("org.jgpu.conformance", "org.jgpu")), edges.toString());
        List<String> broken = new ArrayList<>();
        for (Edge e : edges) {
            for (Rule r : RULES) {
                if (e.matches(r.fromPrefix(), r.toPrefix())) {
                    broken.add(e.from() + " -> " + e.to() + " (" + r.why() + ")");
                }
            }
            // the API may call into its one implementation (Context.create), never into a backend
            if (e.from().equals("org.jgpu") && (e.matches("org.jgpu", "org.jgpu.sim") || e.matches("org.jgpu", "org.jgpu.cuda"))) {
                broken.add(e.from() + " -> " + e.to() + " (the API names no backend)");
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theRulesCatchABackwardDependency() {
        Edge backward = new Edge("org.jgpu.spi", "org.jgpu.internal.hazard");
        assertTrue(RULES.stream().anyMatch(r -> backward.matches(r.fromPrefix(), r.toPrefix())));
        assertTrue(RULES.stream().noneMatch(r -> new Edge("org.jgpu.internal", "org.jgpu.spi")
                .matches(r.fromPrefix(), r.toPrefix())));
    }

    static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /**
     * @param classes a jar or a class directory
     * @return every dependency between org.jgpu packages in it
     */
    static List<Edge> packageEdges(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is missing: run the build on a JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // the modules these classes require (slf4j, JCuda) are on this JVM's class path
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                "--multi-release", "17", "--module-path", System.getProperty("java.class.path"), classes.toString());
        assertEquals(0, rc, err.toString());
        List<Edge> edges = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith(" ") && f.length >= 3 && f[1].equals("->") && f[0].startsWith("org.jgpu")
                    && f[2].startsWith("org.jgpu")) {
                edges.add(new Edge(f[0], f[2]));
            }
        }
        assertTrue(!edges.isEmpty(), () -> "jdeps found no org.jgpu packages in " + classes + ":\n" + out);
        return edges;
    }
}
