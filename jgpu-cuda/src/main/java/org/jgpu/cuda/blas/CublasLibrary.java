package org.jgpu.cuda.blas;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jgpu.BackendUnavailableException;

/**
 * Whether JCublas 12.6 and the cuBLAS library it links against load here, found once per JVM: a
 * failed class initializer cannot be retried, and later attempts only say "could not
 * initialize class", so the first failure is kept and reported every time.
 */
final class CublasLibrary {
    /** What went wrong when JCublas was loaded. */
    enum Problem {
        /** JCublas and cuBLAS loaded */
        NONE,
        /** a cuBLAS shared library JCublas needs (libcublas.so.12, libcublasLt.so.12) is absent or of another version */
        MISSING_LIBRARY,
        /** any other link failure (a missing class, an undefined symbol, a wrong platform): reported as it is */
        LINK_FAILED
    }

    /**
     * The outcome of loading JCublas.
     *
     * @param problem what went wrong, or {@link Problem#NONE}
     * @param library the missing library's file name, for {@link Problem#MISSING_LIBRARY}; else null
     * @param detail the loader's own line saying what failed; empty for {@link Problem#NONE}
     */
    record Status(Problem problem, String library, String detail) {
        /** @return true if cuBLAS can be called */
        boolean usable() {
            return problem == Problem.NONE;
        }

        /** @return one line saying why cuBLAS cannot be used and what to do; null if it can */
        String reason() {
            switch (problem) {
                case NONE:
                    return null;
                case MISSING_LIBRARY:
                    return "cuBLAS cannot be used: JCublas 12.6 links against libcublas.so.12 (cuBLAS of CUDA 12), and "
                            + library + " could not be loaded (" + detail + "); install CUDA 12's cuBLAS (e.g. the "
                            + "Debian/Ubuntu package libcublas-12-x, or the pip package nvidia-cublas-cu12) and put its "
                            + "directory on LD_LIBRARY_PATH; on a machine with only CUDA 13's cuBLAS, a libcublas.so.12 "
                            + "that forwards to libcublas.so.13 serves instead (see docs/cuda.md, cuBLAS)";
                default:
                    return "cuBLAS cannot be used: JCublas 12.6 failed to link: " + detail;
            }
        }
    }

    /** The loader names the missing file, then why: absent, or present without the version node JCublas needs. */
    private static final Pattern MISSING = Pattern.compile(
            "(libcublas(?:Lt)?\\.so\\.\\d+): cannot open shared object file[^\\n]*");
    private static final Pattern VERSION_NOT_FOUND = Pattern.compile(
            "version [`']?(libcublas(?:Lt)?\\.so\\.\\d+)'? not found[^\\n]*");

    private CublasLibrary() {
    }

    /** Loads JCublas on first use. */
    private static final class Holder {
        static final Status STATUS = load();

        private static Status load() {
            try {
                jcuda.jcublas.JCublas2.setExceptionsEnabled(false);
                return new Status(Problem.NONE, null, "");
            } catch (LinkageError e) {
                Status s = classify(e);
                if (s.problem() == Problem.LINK_FAILED && e instanceof NoClassDefFoundError) {
                    // JCublas2 failed to initialize before (elsewhere in this JVM), and the JVM kept
                    // only the head of that failure: load its library once more to hear why
                    try {
                        jcuda.LibUtilsCuda.loadLibrary(jcuda.LibUtils.createPlatformLibraryName(
                                "JCublas2-" + jcuda.JCudaVersion.get()));
                    } catch (LinkageError again) {
                        Status s2 = classify(again);
                        return s2.problem() == Problem.MISSING_LIBRARY ? s2 : s;
                    } catch (RuntimeException ignored) {
                        // the retry is only a diagnosis; the first failure stands
                    }
                }
                return s;
            }
        }
    }

    /** @return whether cuBLAS loads here (tried once per JVM) */
    static Status status() {
        return Holder.STATUS;
    }

    /**
     * @throws BackendUnavailableException if cuBLAS cannot be used, with {@link Status#reason()}
     */
    static void require() {
        Status s = status();
        if (!s.usable()) {
            throw new BackendUnavailableException(s.reason());
        }
    }

    /**
     * Tells a missing cuBLAS library from other link failures. JCublas's loader puts the
     * attempts it made into the message of its {@code UnsatisfiedLinkError} (the system
     * loader's line, e.g. {@code libcublas.so.12: cannot open shared object file}, is among
     * them), and a later {@code NoClassDefFoundError} carries the first failure as its cause.
     *
     * @param e what loading JCublas threw
     * @return the status it means
     */
    static Status classify(LinkageError e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            Matcher v = VERSION_NOT_FOUND.matcher(m);
            if (v.find()) {
                return new Status(Problem.MISSING_LIBRARY, v.group(1), v.group().trim());
            }
            Matcher a = MISSING.matcher(m);
            if (a.find()) {
                return new Status(Problem.MISSING_LIBRARY, a.group(1), a.group().trim());
            }
        }
        return new Status(Problem.LINK_FAILED, null, e.getClass().getName() + ": " + firstLine(e.getMessage()));
    }

    private static String firstLine(String message) {
        return message == null ? "(no message)" : message.lines().findFirst().orElse("").trim();
    }
}
