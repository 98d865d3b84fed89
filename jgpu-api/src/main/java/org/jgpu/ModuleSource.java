package org.jgpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a {@link KernelModule}'s code comes from: PTX text, a cubin or fatbin image, or the kernels
 * bundled with jgpu.
 *
 * <pre>{@code
 * KernelModule m = ctx.loadModule(ModuleSource.file(Path.of("my_kernels.ptx")));
 * KernelModule bundled = ctx.loadModule(ModuleSource.bundled());
 * }</pre>
 */
public final class ModuleSource {
    /** The kind of image. */
    public enum Kind {
        /** PTX text: entries and parameter types are read from it */
        PTX,
        /** a cubin (ELF) image for one architecture */
        CUBIN,
        /** a fat binary holding images for several architectures */
        FATBIN,
        /** the kernels bundled with jgpu (see {@code kernels/}) */
        BUNDLED
    }

    private static final ModuleSource BUNDLED = new ModuleSource(Kind.BUNDLED, "bundled kernels", null, null);

    private final Kind kind;
    private final String description;
    private final String ptx;
    private final byte[] image;

    private ModuleSource(Kind kind, String description, String ptx, byte[] image) {
        this.kind = kind;
        this.description = description;
        this.ptx = ptx;
        this.image = image;
    }

    /**
     * @param ptx PTX source text
     * @return a source for it
     * @throws IllegalArgumentException if ptx is null or has no {@code .entry}
     */
    public static ModuleSource ptx(String ptx) {
        return ptx(ptx, "PTX string");
    }

    private static ModuleSource ptx(String ptx, String description) {
        if (ptx == null || !ptx.contains(".entry")) {
            throw new IllegalArgumentException(description + " is not PTX with at least one .entry");
        }
        return new ModuleSource(Kind.PTX, description, ptx, null);
    }

    /**
     * Reads PTX, a cubin or a fatbin from a class-path resource; the kind follows the extension.
     *
     * @param loader where to look
     * @param name the resource name, e.g. {@code "kernels/my.ptx"}
     * @return a source for it
     * @throws IllegalArgumentException if the resource is missing or its extension is unknown
     * @throws UncheckedIOException if it cannot be read
     */
    public static ModuleSource resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource '" + name + "' on the class path");
            }
            return fromBytes(in.readAllBytes(), name, "resource " + name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    /**
     * Reads PTX ({@code .ptx}), a cubin ({@code .cubin}) or a fatbin ({@code .fatbin}) file.
     *
     * @param file the file
     * @return a source for it
     * @throws IllegalArgumentException if the extension is unknown
     * @throws UncheckedIOException if it cannot be read
     */
    public static ModuleSource file(Path file) {
        try {
            return fromBytes(Files.readAllBytes(file), file.getFileName().toString(), "file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * @param kind {@link Kind#CUBIN} or {@link Kind#FATBIN}
     * @param image the binary image (copied)
     * @return a source for it
     * @throws IllegalArgumentException if kind is not a binary kind or the image is empty
     */
    public static ModuleSource image(Kind kind, byte[] image) {
        if (kind != Kind.CUBIN && kind != Kind.FATBIN) {
            throw new IllegalArgumentException("image kind must be CUBIN or FATBIN, got " + kind);
        }
        if (image == null || image.length == 0) {
            throw new IllegalArgumentException("image must not be empty");
        }
        return new ModuleSource(kind, kind.name().toLowerCase(Locale.ROOT) + " image", null, image.clone());
    }

    /** @return the kernels bundled with jgpu ({@code vector_add}, {@code saxpy}, ...) */
    public static ModuleSource bundled() {
        return BUNDLED;
    }

    private static ModuleSource fromBytes(byte[] bytes, String name, String description) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".ptx")) {
            return ptx(new String(bytes, StandardCharsets.UTF_8), description);
        }
        Kind kind = lower.endsWith(".cubin") ? Kind.CUBIN : lower.endsWith(".fatbin") ? Kind.FATBIN : null;
        if (kind == null) {
            throw new IllegalArgumentException(description + ": unknown extension (expected .ptx, .cubin or .fatbin)");
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(description + " is empty");
        }
        return new ModuleSource(kind, description, null, bytes);
    }

    /** @return the kind of image */
    public Kind kind() {
        return kind;
    }

    /** @return where it came from, for messages */
    public String description() {
        return description;
    }

    /** @return the PTX text, or null if this is not PTX */
    public String ptxText() {
        return ptx;
    }

    /** @return a copy of the binary image, or null if this is not a cubin or fatbin */
    public byte[] imageBytes() {
        return image == null ? null : image.clone();
    }

    @Override
    public String toString() {
        return description;
    }
}
