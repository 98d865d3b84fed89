package org.jgpu.spi;

import org.jgpu.ContextOptions;
import org.jgpu.DeviceTopology;

/** A device backend, found through {@link java.util.ServiceLoader}. */
public interface BackendProvider {

    /** @return the name users select it by, e.g. {@code "cuda"} */
    String name();

    /** @return its rank when the backend is chosen automatically: higher wins among usable ones */
    int priority();

    /**
     * Finds out, without side effects that outlive the call, whether the backend can be used.
     * Must not throw: failures become an unusable {@link Availability} with the reason.
     *
     * @return the availability
     */
    Availability probe();

    /**
     * Lists the devices without opening them: their properties and how copies travel between
     * each pair.
     *
     * @param options the backend's settings (the host backend's say how many devices it
     *                simulates); the device ordinal is not used
     * @return the devices and routes
     * @throws IllegalArgumentException if the settings cannot be honoured
     * @throws org.jgpu.BackendUnavailableException if the backend cannot be used here
     */
    DeviceTopology topology(ContextOptions options);

    /**
     * Opens a device.
     *
     * @param options the context's options (device ordinal, backend-specific settings)
     * @return the opened device
     * @throws IllegalArgumentException if the ordinal is out of range or an option cannot be honoured
     * @throws org.jgpu.GpuException if the device cannot be opened
     */
    DeviceBackend open(ContextOptions options);
}
