package org.jgpu.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jgpu.BackendStatus;
import org.jgpu.Context;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options more than one command takes, as picocli mixins, and the converters that check a
 * value as it is parsed, so that a bad one stops the command before it does any work.
 */
final class Options {
    private Options() {
    }

    /** {@code --backend NAME}. */
    static final class Backend {
        @Option(names = "--backend", paramLabel = "NAME", converter = BackendName.class,
                description = "host, cuda or auto (default: cuda when a device is there, else host)")
        String name;
    }

    /** {@code --json}. */
    static final class Json {
        @Option(names = "--json", description = "print one JSON object on stdout and nothing else there "
                + "(a number that is not finite is null)")
        boolean enabled;
    }

    /** {@code --batches N}. */
    static final class Batches {
        @Option(names = "--batches", paramLabel = "N", defaultValue = "32", converter = PositiveInt.class,
                description = "batches (or steps) to run (default: ${DEFAULT-VALUE})")
        int batches;
    }

    /** {@code --trace FILE}, on the commands that run streams. */
    static final class Trace {
        @Option(names = "--trace", paramLabel = "FILE", converter = WritableFile.class,
                description = "write the device timeline as Chrome trace-event JSON (open it in Perfetto)")
        Path file;
    }

    /** {@code --profile} and {@code --scale}: the stage times of a pipeline workload. */
    static final class Stages {
        @Option(names = "--profile", paramLabel = "resnet50|L,U,C,D", defaultValue = "resnet50",
                converter = ProfileName.class, description = "stage times in ms per batch: load on the CPU, upload, "
                + "compute, download (default: resnet50, which is 50,10,100,5)")
        Profile profile;

        @Option(names = "--scale", paramLabel = "X", defaultValue = "0.05", converter = PositiveDouble.class,
                description = "multiplies every stage time (default: ${DEFAULT-VALUE})")
        double scale;

        /** @return the profile scaled */
        Profile scaled() {
            return profile.scaled(scale);
        }
    }

    /** {@code --[no-]progress}: the progress bar on stderr. */
    static final class Progress {
        @Option(names = "--progress", negatable = true,
                description = "draw a progress bar on stderr (default: only when stderr is a terminal)")
        Boolean enabled;

        /** @return a bar on {@code err}, drawn as asked or, by default, when it is the process's terminal stderr */
        ProgressBar bar(PrintStream err, String label) {
            boolean on = enabled != null ? enabled : err == System.err && ProgressBar.stderrIsTerminal();
            return new ProgressBar(err, label, on);
        }
    }

    /**
     * Why {@code name} names no backend here, or null if it names one.
     *
     * @param name a backend name, lower case
     * @param registered the backends on the class path
     * @return the message, which says how to get a missing backend
     */
    static String unknownBackend(String name, List<String> registered) {
        if (name.equals("auto") || registered.contains(name)) {
            return null;
        }
        if (name.equals("cuda")) {
            return "backend 'cuda' is not on the class path; add org.jgpu:jgpu-cuda";
        }
        return "unknown backend '" + name + "'; registered: " + String.join(", ", registered) + " (or auto)";
    }

    /** A backend name, refused here when no such backend is registered. */
    static final class BackendName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.trim().toLowerCase(Locale.ROOT);
            String problem = unknownBackend(name, Context.backends().stream().map(BackendStatus::name)
                    .collect(Collectors.toList()));
            if (problem != null) {
                throw new TypeConversionException(problem);
            }
            return name;
        }
    }

    /** A whole number of at least 1. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) wholeNumber(value, 1, Integer.MAX_VALUE);
        }
    }

    /** A whole number of at least 1. */
    static final class PositiveLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return wholeNumber(value, 1, Long.MAX_VALUE);
        }
    }

    /** A finite number above 0; decimals welcome. */
    static final class PositiveDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d;
            try {
                d = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
            if (!(d > 0) || !Double.isFinite(d)) {
                throw new TypeConversionException("must be a finite number above 0, got " + value);
            }
            return d;
        }
    }

    /** {@code resnet50} or four stage times. */
    static final class ProfileName implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            try {
                return Profile.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A file the command may write: its directory exists and is writable, and it is not itself a
     * directory. Checked up front, so that a typo does not cost a whole run.
     */
    static final class WritableFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path file;
            try {
                file = Path.of(value).toAbsolutePath();
            } catch (InvalidPathException e) {
                throw new TypeConversionException("'" + value + "' is not a file name: " + e.getReason());
            }
            Path dir = file.getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new TypeConversionException("directory " + dir + " does not exist; create it first");
            }
            if (Files.isDirectory(file)) {
                throw new TypeConversionException(value + " is a directory; name a file in it");
            }
            if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(dir)) {
                throw new TypeConversionException("cannot write " + value + ": permission denied");
            }
            return Path.of(value);
        }
    }

    /** A file the command reads: it exists and is readable. */
    static final class ReadableFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path file = Path.of(value);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new TypeConversionException("cannot read " + value + ": no such readable file");
            }
            return file;
        }
    }

    /**
     * @param value the option's text
     * @param min the least value accepted
     * @param max the largest value accepted
     * @return the number
     * @throws TypeConversionException if it is not a whole number in [min, max]
     */
    static long wholeNumber(String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < min) {
            throw new TypeConversionException("must be at least " + min + ", got " + n);
        }
        if (n > max) {
            throw new TypeConversionException("must be at most " + max + ", got " + n);
        }
        return n;
    }
}
