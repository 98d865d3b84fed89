package org.jgpu.cuda.blas;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jgpu.BackendUnavailableException;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.junit.jupiter.api.Test;

/** Without libcublas.so.12, asking for cuBLAS says which library is missing and what to install. */
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
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                    () -> CublasBlas.create(ctx.createStream()));
            assertTrue(e.getMessage().contains("libcublas.so.12") && e.getMessage().contains("install"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
    }
}
