package org.jgpu.examples.jmh;

import org.jgpu.BackendSettings;
import java.util.List;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceTopology;
import org.jgpu.PeerRoute;
import org.jgpu.spi.Availability;
import org.jgpu.spi.BackendProvider;
import org.jgpu.spi.DeviceBackend;

/**
 * The null backend, for benchmarks only: a device that does nothing, so that what a benchmark
 * measures is jgpu's own Java layer (argument checks, locks, hazard tracking, op tags) with the
 * device's cost taken away.
 *
 * <p>Every stream operation only counts itself and returns; queries say the work is done;
 * memory holds only its size (no bytes: host buffers cannot be read or written); a module's
 * kernels are the entries the core read from its PTX or the bundled kernels' contracts. It
 * computes nothing and times nothing, so a program on it gives no results. {@link NullSettings}
 * can model the time a launch takes in the driver. Its priority is far below the other
 * backends', so it is only used when named: {@code ContextOptions.builder().backend("null")}.
 */
public final class NullBackendProvider implements BackendProvider {
    /** The name users select it by. */
    public static final String NAME = NullSettings.BACKEND;

    @Override
    public String name() {
        return NAME;
    }

    /** @return -1000: far below the host backend's 0, so automatic selection never picks it */
    @Override
    public int priority() {
        return -1000;
    }

    @Override
    public Availability probe() {
        return Availability.usable(1, "does nothing, for the enqueue-path benchmarks (JMH) only; used only when named");
    }

    /** @return its one device, from the settings for this backend */
    @Override
    public DeviceTopology topology(ContextOptions options) {
        return new DeviceTopology(NAME, List.of(device(options).info()), List.of(PeerRoute.SAME_DEVICE));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the ordinal is not 0 or the settings for this backend
     *         are not {@link NullSettings}
     */
    @Override
    public DeviceBackend open(ContextOptions options) {
        if (options.deviceOrdinal() != 0) {
            throw new IllegalArgumentException("the null backend has one device (ordinal 0), asked for "
                    + options.deviceOrdinal());
        }
        return device(options);
    }

    private static NullDevice device(ContextOptions options) {
        BackendSettings settings = options.settingsFor(NAME);
        if (settings == null) {
            return new NullDevice(NullSettings.DEFAULT);
        }
        if (settings instanceof NullSettings s) {
            return new NullDevice(s);
        }
        throw new IllegalArgumentException("the null backend is configured with " + NullSettings.class.getName()
                + ", not a " + settings.getClass().getName());
    }
}
