package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.jgpu.BackendSettings;
import org.jgpu.BackendStatus;
import org.jgpu.BackendUnavailableException;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DefaultStreamMode;
import org.jgpu.HazardMode;
import org.jgpu.sim.EngineModel;
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
        String old = System.getProperty(ContextOptions.BACKEND_PROPERTY);
        System.setProperty(ContextOptions.BACKEND_PROPERTY, "host");
        try (Context ctx = Context.create()) {
            assertEquals("host", ctx.device().backend());
        } finally {
            if (old == null) {
                System.clearProperty(ContextOptions.BACKEND_PROPERTY);
            } else {
                System.setProperty(ContextOptions.BACKEND_PROPERTY, old);
            }
        }
    }

    @Test
    void automaticChoicePrefersAUsableCudaDeviceElseTheHost() {
        boolean cuda = Backend.status("cuda").usable();
        try (Context ctx = Context.create(ContextOptions.builder().backend("auto").build())) {
            assertEquals(cuda ? "cuda" : "host", ctx.device().backend());
            assertEquals(!cuda, ctx.device().simulated());
        }
    }

    @Test
    void askingForAnUnusableBackendSaysWhy() {
        var probe = Backend.status("cuda");
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
        if (Backend.status("cuda").usable()) {
            IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> Context.create(
                    ContextOptions.builder().backend("cuda").configure(EngineModel.DEFAULT).build()));
            assertTrue(h.getMessage().contains("EngineModel"), h.getMessage());
        }
    }

    /** Settings for a backend that is not registered: no backend can honour them. */
    private record OtherSettings(String backend) implements BackendSettings {
    }

    @Test
    void settingsForAnotherBackendThanTheChosenOneAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Context.create(
                ContextOptions.builder().backend("host").configure(new OtherSettings("elsewhere")).build()));
        assertTrue(e.getMessage().contains("elsewhere") && e.getMessage().contains("OtherSettings"), e.getMessage());
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> Context.create(
                ContextOptions.builder().backend("host").configure(new OtherSettings("host")).build()));
        assertTrue(wrongType.getMessage().contains("EngineModel"), wrongType.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Context.create(
                ContextOptions.builder().backend("auto").configure(new OtherSettings("elsewhere")).build()),
                "auto refuses settings for a backend that is not registered");
    }

    @Test
    void withAutoTheSettingsOfTheBackendNotChosenAreLeftUnused() {
        boolean cuda = Backend.status("cuda").usable();
        EngineModel eight = EngineModel.builder().concurrentKernels(8).build();
        try (Context ctx = Context.create(ContextOptions.builder().backend("auto").configure(eight)
                .configure(new OtherSettings("cuda")).build())) {
            assertEquals(cuda ? "cuda" : "host", ctx.device().backend());
        } catch (IllegalArgumentException e) {
            // the cuda backend, when chosen, refuses settings that are not its own type
            assertTrue(cuda, e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ContextOptions.builder().configure(null));
        List<BackendSettings> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> new ContextOptions(null, 0, HazardMode.CHECK, null,
                withNull, DefaultStreamMode.LEGACY, Set.of()));
    }

    @Test
    void aBackendIsConfiguredOnceTheLastSettingsWin() {
        EngineModel eight = EngineModel.builder().concurrentKernels(8).build();
        ContextOptions o = ContextOptions.builder().configure(EngineModel.DEFAULT).configure(eight).build();
        assertEquals(List.of(eight), o.backendSettings());
        assertEquals(eight, o.toBuilder().build().settingsFor("host"));
        assertThrows(IllegalArgumentException.class, () -> new ContextOptions(null, 0, HazardMode.CHECK, null,
                List.of(eight, EngineModel.DEFAULT), DefaultStreamMode.LEGACY, Set.of()));
    }

    @Test
    void everyRegisteredBackendIsListedWithWhetherItCanBeUsed() {
        List<BackendStatus> all = Context.backends();
        BackendStatus host = all.stream().filter(b -> b.name().equals("host")).findFirst().orElseThrow();
        assertTrue(host.usable() && host.deviceCount() == 1, host.toString());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).priority() >= all.get(i).priority(), all.toString());
        }
    }
}
