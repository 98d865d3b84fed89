package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles documentation code, wrapped in a class, against the tests' class path, and loads it. */
final class SnippetCompiler {
    private SnippetCompiler() {
    }

    /**
     * @param classes where the class files go
     * @param name the class's name
     * @param source its source
     * @param what the code's origin, for the failure message, e.g. {@code the README's code}
     * @return the class, loaded
     * @throws AssertionError with the compiler's messages and the numbered source if it does not compile
     */
    static Class<?> compile(Path classes, String name, String source, String what) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler: the tests need a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
                    "-proc:none");
            if (!javac.getTask(null, files, diagnostics, options, null, List.of(file)).call()) {
                String[] lines = source.split("\n", -1);
                StringBuilder numbered = new StringBuilder();
                for (int i = 0; i < lines.length; i++) {
                    numbered.append(String.format("%4d  %s%n", i + 1, lines[i]));
                }
                fail(what + " does not compile as printed:\n" + diagnostics.getDiagnostics().stream()
                        .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(null)).collect(Collectors.joining("\n"))
                        + "\nin\n" + numbered);
            }
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, SnippetCompiler.class.getClassLoader());
        return loader.loadClass(name);
    }
}
