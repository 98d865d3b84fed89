package org.jgpu.sim.internal;

import org.jgpu.sim.EngineModel;
import org.jgpu.BackendSettings;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceTopology;
import org.jgpu.spi.Availability;
import org.jgpu.spi.BackendProvider;
import org.jgpu.spi.DeviceBackend;

/**
 * The host backend: a pure-Java simulated device, usable everywhere.
 *
 * <p>It keeps CUDA's stream and event semantics and models the copy and compute engines (see
 * {@link EngineModel}), so pipelines show their overlap; its timings are the model's, not a
 * performance claim.
 */
public final class SimBackendProvider implements BackendProvider {
    /** The name users select it by. */
    public static final String NAME = EngineModel.BACKEND;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability probe() {
        return Availability.usable(1, "pure-Java simulator, always available");
    }

    @Override
    public DeviceTopology topology(ContextOptions options) {
        throw new UnsupportedOperationException("in progress: the host backend's device listing");
    }

    @Override
    public DeviceBackend open(ContextOptions options) {
        if (options.deviceOrdinal() != 0) {
            throw new IllegalArgumentException("the host backend has one device (ordinal 0), asked for "
                    + options.deviceOrdinal());
        }
        BackendSettings settings = options.settingsFor(NAME);
        EngineModel model;
        if (settings == null) {
            model = EngineModel.DEFAULT;
        } else if (settings instanceof EngineModel m) {
            model = m;
        } else {
            throw new IllegalArgumentException("the host backend is configured with an EngineModel, not a "
                    + settings.getClass().getName());
        }
        return new SimDevice(model, 0);
    }
}
