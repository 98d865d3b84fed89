package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.junit.jupiter.api.Test;

/** How a backend is chosen and what a user is told about it. */
class BackendsTest {

    @Test
    void askingForCudaWithoutItsJarSaysWhichArtifactBringsIt() {
        // jgpu-api's tests run without jgpu-cuda on the class path
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Context.create(ContextOptions.builder().backend("cuda").build()));
        assertTrue(e.getMessage().contains("unknown backend 'cuda': add org.jgpu:jgpu-cuda"), e.getMessage());
        assertTrue(e.getMessage().contains("registered: host"), e.getMessage());
    }

    @Test
    void anUnknownNameListsWhatIsRegisteredWithoutAnArtifactHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Context.create(ContextOptions.builder().backend("opencl").build()));
        assertTrue(e.getMessage().startsWith("unknown backend 'opencl'; registered: host"), e.getMessage());
    }

    @Test
    void theAutomaticChoiceIsNewsOncePerBackendNotPerContext() {
        String name = "backend-of-" + getClass().getSimpleName();
        assertTrue(Backends.isNews(name), "the first choice is announced");
        assertFalse(Backends.isNews(name), "the same choice again is not");
        assertTrue(Backends.isNews(name + "-other"), "another backend is");
        assertTrue(Backends.isNews(name), "and going back is");
        try (Context a = Context.create(); Context b = Context.create()) {
            assertFalse(Backends.isNews(a.device().backend()), "two contexts made the choice known already");
        }
    }
}
