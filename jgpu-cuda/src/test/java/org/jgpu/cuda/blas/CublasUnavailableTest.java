package org.jgpu.cuda.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jgpu.BackendUnavailableException;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Stream;
import org.jgpu.blas.Blas;
import org.jgpu.spi.Extensions;
import org.junit.jupiter.api.Test;

/**
 * Without libcublas.so.12, asking for cuBLAS says which library is missing, what to install,
 * and that a forwarding libcublas.so.12 serves on a CUDA-13-only machine; other link failures
 * are reported as what they are.
 */
class CublasUnavailableTest {

    private static boolean cublasLoads() {
        try {
            jcuda.jcublas.JCublas2.setExceptionsEnabled(false);
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    @Test
    void aMissingCublasLibraryIsNamedWithWhatToInstall() {
        assumeTrue(!cublasLoads(), "cuBLAS loads here: nothing is missing");
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build())) {
            Stream s = ctx.createStream();
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                    () -> new CublasBlasProvider().open(s, Extensions.nativeStream(s)));
            String m = e.getMessage();
            assertTrue(m.contains("libcublas.so.12") && m.contains("install"), m);
            assertTrue(m.contains("forwards to libcublas.so.13") && m.contains("docs/cuda.md"), m);
            assertTrue(m.contains("cannot open shared object file"), "the loader's own line: " + m);
            assertFalse(m.contains("\n"), "one line: " + m);
            // the second attempt (a NoClassDefFoundError from the JVM) says the same
            BackendUnavailableException again = assertThrows(BackendUnavailableException.class,
                    () -> new CublasBlasProvider().open(s, Extensions.nativeStream(s)));
            assertEquals(m, again.getMessage());
            assertEquals(m, Blas.unavailableReason("cuda").orElseThrow());
        }
    }

    @Test
    void theReasonIsAvailableWithoutADeviceAndEmptyOnTheHostBackend() {
        assertTrue(Blas.unavailableReason("host").isEmpty());
        assertTrue(Blas.unavailableReason("opencl").orElseThrow().contains("opencl"));
        assertEquals(cublasLoads(), Blas.unavailableReason("cuda").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Blas.unavailableReason(null));
    }

    @Test
    void aLibraryOfTheWrongVersionCountsAsMissing() {
        // what the loader says when a libcublas.so.13 is renamed or linked to libcublas.so.12
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("Error while loading native library \"JCublas2-12.6.0-linux-x86_64\"\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCublas2-12.6.0-linux-x86_64.so: /usr/lib/libcublas.so.12: "
                + "version `libcublas.so.12' not found (required by /tmp/libJCublas2-12.6.0-linux-x86_64.so)\n\tat x");
        CublasLibrary.Status s = CublasLibrary.classify(e);
        assertEquals(CublasLibrary.Problem.MISSING_LIBRARY, s.problem());
        assertEquals("libcublas.so.12", s.library());
        assertTrue(s.reason().contains("version `libcublas.so.12' not found"), s.reason());
    }

    @Test
    void aMissingLtLibraryIsNamedAndTheCauseOfALaterNoClassDefIsRead() {
        UnsatisfiedLinkError first = new UnsatisfiedLinkError("Error while loading native library \"JCublas2\"\n"
                + "java.lang.UnsatisfiedLinkError: /opt/libcublas.so.12: libcublasLt.so.12: cannot open shared object file: "
                + "No such file or directory\n");
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class jcuda.jcublas.JCublas2");
        later.initCause(new ExceptionInInitializerError(first.getMessage()));
        CublasLibrary.Status s = CublasLibrary.classify(later);
        assertEquals(CublasLibrary.Problem.MISSING_LIBRARY, s.problem());
        assertEquals("libcublasLt.so.12", s.library());
        assertTrue(s.reason().contains("libcublasLt.so.12 could not be loaded"), s.reason());
    }

    @Test
    void otherLinkFailuresAreReportedAsWhatTheyAre() {
        CublasLibrary.Status symbol = CublasLibrary.classify(new UnsatisfiedLinkError(
                "/tmp/libJCublas2.so: undefined symbol: cublasSgemm_v2\nmore"));
        assertEquals(CublasLibrary.Problem.LINK_FAILED, symbol.problem());
        assertEquals("cuBLAS cannot be used: JCublas 12.6 failed to link: java.lang.UnsatisfiedLinkError: "
                + "/tmp/libJCublas2.so: undefined symbol: cublasSgemm_v2", symbol.reason());
        CublasLibrary.Status noClass = CublasLibrary.classify(new NoClassDefFoundError("jcuda/jcublas/cublasHandle"));
        assertEquals(CublasLibrary.Problem.LINK_FAILED, noClass.problem());
        assertFalse(noClass.reason().contains("install"), noClass.reason());
        assertTrue(noClass.reason().contains("NoClassDefFoundError: jcuda/jcublas/cublasHandle"), noClass.reason());
    }
}
