package org.jgpu.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumSet;
import java.util.List;
import org.jgpu.BackendStatus;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceGroup;
import org.jgpu.HazardMode;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.Interconnect;

/**
 * The backends the suite runs against: every one is listed, and a test on a backend that cannot
 * be used here is skipped with the backend's own reason (e.g. "no NVIDIA driver").
 */
final class Backend {
    /** Every backend the conformance suite knows; parameterized tests take these names. */
    static final List<String> ALL = List.of("host", "cuda");

    private Backend() {
    }

    /**
     * @param name a backend name
     * @param mode the hazard mode
     * @return a context on it; the calling test is skipped (with the reason) if it is not usable
     */
    static Context open(String name, HazardMode mode) {
        return Context.create(options(name).hazardMode(mode).build());
    }

    /**
     * @param name a backend name
     * @return options for it, to add to; the calling test is skipped (with the reason) if the
     *         backend is not usable
     */
    static ContextOptions.Builder options(String name) {
        BackendStatus a = status(name);
        assumeTrue(a != null, () -> name + " backend is not on the class path");
        assumeTrue(a.usable(), () -> name + " backend skipped: " + a.reason());
        ContextOptions.Builder b = ContextOptions.builder().backend(name);
        if (name.equals("host")) {
            // like a real GPU, run small kernels of different streams side by side
            b.configure(EngineModel.builder().concurrentKernels(8).build());
        }
        return b;
    }

    /**
     * @param name a backend name
     * @return whether it can be used here, or null if it is not on the class path
     */
    static BackendStatus status(String name) {
        return Context.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Opens a device group of {@code devices} devices; the calling test is skipped (with the
     * reason) if the backend is not usable or has fewer devices. The host backend simulates them.
     *
     * @param name a backend name
     * @param devices how many
     * @param mode the hazard mode
     * @return the group
     */
    static DeviceGroup group(String name, int devices, HazardMode mode) {
        return DeviceGroup.open(groupOptions(name, devices, Interconnect.PCIE).hazardMode(mode).build(), devices);
    }

    /**
     * @param name a backend name
     * @param devices how many devices the test needs
     * @param link the host backend's simulated link between its devices (unused on a real backend)
     * @return options for a group of them; the calling test is skipped (with the reason) if the
     *         backend is not usable or has fewer devices
     */
    static ContextOptions.Builder groupOptions(String name, int devices, Interconnect link) {
        ContextOptions.Builder b = options(name);
        if (name.equals("host")) {
            return b.configure(EngineModel.builder().concurrentKernels(8).devices(devices).interconnect(link).build());
        }
        int found = Context.devices(b.build()).size();
        assumeTrue(found >= devices, () -> "needs " + devices + " " + name + " devices, found " + found);
        return b;
    }

    static Context open(String name) {
        return open(name, HazardMode.CHECK);
    }

    static <E extends Enum<E>> EnumSet<E> none(Class<E> type) {
        return EnumSet.noneOf(type);
    }
}
