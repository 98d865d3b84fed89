package org.jgpu.sim.internal;

import org.jgpu.sim.EngineModel;
import org.jgpu.BackendSettings;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceInfo;
import org.jgpu.DeviceTopology;
import org.jgpu.PeerRoute;
import java.util.ArrayList;
import java.util.List;
import org.jgpu.spi.Availability;
import org.jgpu.spi.BackendProvider;
import org.jgpu.spi.DeviceBackend;

/**
 * The host backend: pure-Java simulated devices, usable everywhere.
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
        return Availability.usable(EngineModel.DEFAULT.devices(), "pure-Java simulator, always available");
    }

    /**
     * {@inheritDoc} The host backend simulates {@link EngineModel#devices()} devices, linked by
     * the model's {@linkplain EngineModel#interconnect() interconnect}; listing them starts nothing.
     *
     * @throws IllegalArgumentException if the settings for the host backend are not an {@link EngineModel}
     */
    @Override
    public DeviceTopology topology(ContextOptions options) {
        EngineModel model = model(options);
        int n = model.devices();
        List<DeviceInfo> devices = new ArrayList<>(n);
        List<PeerRoute> routes = new ArrayList<>(n * n);
        for (int i = 0; i < n; i++) {
            devices.add(SimDevice.info(model, i));
            for (int j = 0; j < n; j++) {
                routes.add(i == j ? PeerRoute.SAME_DEVICE : model.interconnect().route());
            }
        }
        return new DeviceTopology(NAME, devices, routes);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the settings for the host backend are not an
     *         {@link EngineModel}, or the ordinal is not one of the devices it simulates
     */
    @Override
    public DeviceBackend open(ContextOptions options) {
        EngineModel model = model(options);
        int ordinal = options.deviceOrdinal();
        if (ordinal < 0 || ordinal >= model.devices()) {
            throw new IllegalArgumentException("the host backend simulates " + model.devices() + " device"
                    + (model.devices() == 1 ? " (ordinal 0)" : "s (ordinals 0.." + (model.devices() - 1) + ")")
                    + ", asked for " + ordinal + "; simulate more with ContextOptions.builder().configure("
                    + "EngineModel.builder().devices(n).build())");
        }
        return new SimDevice(model, ordinal);
    }

    private static EngineModel model(ContextOptions options) {
        BackendSettings settings = options.settingsFor(NAME);
        if (settings == null) {
            return EngineModel.DEFAULT;
        }
        if (settings instanceof EngineModel m) {
            return m;
        }
        throw new IllegalArgumentException("the host backend is configured with an EngineModel, not a "
                + settings.getClass().getName());
    }
}
