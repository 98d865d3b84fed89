package org.jgpu.examples.jmh;

import org.jgpu.BackendSettings;

/**
 * The null backend's one setting: a modelled cost of its launches and event records.
 *
 * <pre>{@code
 * Context ctx = Context.create(ContextOptions.builder().backend("null")
 *         .configure(new NullSettings(2500)).build());
 * }</pre>
 *
 * @param launchNanos how long each launch and each event record busy-spins on the calling
 *                    thread, as the driver call would keep it busy ({@code cuLaunchKernel} takes
 *                    about 2.5 us); 0, the default, returns at once
 */
public record NullSettings(long launchNanos) implements BackendSettings {
    /** The name of the backend these settings are for. */
    public static final String BACKEND = "null";
    /** No modelled cost: every backend call returns at once. */
    public static final NullSettings DEFAULT = new NullSettings(0);

    /**
     * Checks the component.
     *
     * @param launchNanos what each backend call costs, 0 for nothing
     * @throws IllegalArgumentException if launchNanos is negative
     */
    public NullSettings {
        if (launchNanos < 0) {
            throw new IllegalArgumentException("launchNanos must be >= 0 (0 for no modelled cost), got " + launchNanos);
        }
    }

    /** @return {@value #BACKEND} */
    @Override
    public String backend() {
        return BACKEND;
    }
}
