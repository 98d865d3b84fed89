package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.BackendUnavailableException;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.sim.EngineModel;
import org.jgpu.internal.Backends;
import org.junit.jupiter.api.Test;

/** How a context's backend is chosen: option, system property, environment, automatic. */
class BackendSelectionTest {

    @Test
    void anUnknownBackendNameListsTheRegisteredOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Context.create(ContextOptions.builder().backend("opencl").build()));
        assertTrue(e.getMessage().contains("'opencl'") && e.getMessage().contains("host") && e.getMessage().contains("cuda"),
                e.getMessage());
    }

    @Test
    void theSystemPropertyChoosesTheBackendWhenTheOptionsDoNot() {
        String old = System.getProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY, "host");
        try (Context ctx = Context.create()) {
            assertEquals("host", ctx.device().backend());
        } finally {
            if (old == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, old);
            }
        }
    }

    @Test
    void automaticChoicePrefersAUsableCudaDeviceElseTheHost() {
        boolean cuda = Backends.find("cuda").probe().usable();
        try (Context ctx = Context.create(ContextOptions.builder().backend("auto").build())) {
            assertEquals(cuda ? "cuda" : "host", ctx.device().backend());
            assertEquals(!cuda, ctx.device().simulated());
        }
    }

    @Test
    void askingForAnUnusableBackendSaysWhy() {
        var probe = Backends.find("cuda").probe();
        org.junit.jupiter.api.Assumptions.assumeFalse(probe.usable(), "cuda is usable here");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Context.create(ContextOptions.builder().backend("cuda").build()));
        assertTrue(e.getMessage().contains(probe.reason()), e.getMessage());
    }

    @Test
    void optionsAreValidatedAndHostOnlyOptionsNeedTheHostBackend() {
        assertThrows(IllegalArgumentException.class, () -> ContextOptions.builder().deviceOrdinal(-1).build());
        assertThrows(IllegalArgumentException.class, () -> EngineModel.builder().copyEngines(3).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Context.create(ContextOptions.builder().backend("host").deviceOrdinal(1).build()));
        assertTrue(e.getMessage().contains("ordinal"), e.getMessage());
        if (Backends.find("cuda").probe().usable()) {
            IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> Context.create(
                    ContextOptions.builder().backend("cuda").hostModel(EngineModel.DEFAULT).build()));
            assertTrue(h.getMessage().contains("hostModel"), h.getMessage());
        }
    }
}
