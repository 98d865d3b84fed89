package org.jgpu.cuda;

import jcuda.driver.CUdevice;
import org.jgpu.BackendUnavailableException;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceTopology;
import org.jgpu.cuda.driver.Driver;
import org.jgpu.spi.Availability;
import org.jgpu.spi.BackendProvider;
import org.jgpu.spi.DeviceBackend;

/**
 * The CUDA backend's entry point: finds the driver and the devices through JCuda.
 *
 * <p>Usable when JCuda's natives load, the driver initializes and reports at least one device;
 * otherwise the reason says which of these failed, in one line.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** The name users select it by. */
    public static final String NAME = "cuda";

    private volatile Availability probed;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        Availability a = probed;
        if (a == null) {
            probed = a = discover();
        }
        return a;
    }

    private static Availability discover() {
        try {
            Driver.load();
        } catch (LinkageError e) {
            return Availability.unusable(whyNotLoaded(e));
        }
        try {
            Driver.init();
            int count = Driver.deviceCount();
            if (count == 0) {
                return Availability.unusable("the CUDA driver reports no device");
            }
            CUdevice d = Driver.device(0);
            int v = Driver.driverVersion();
            return Availability.usable(count, count + " CUDA device(s), device 0: " + Driver.deviceName(d, 0)
                    + ", driver CUDA " + (v / 1000) + "." + (v % 1000 / 10));
        } catch (CudaException e) {
            return Availability.unusable(e.getMessage());
        }
    }

    /** A one-line reason from JCuda's multi-line loader report. */
    static String whyNotLoaded(LinkageError e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("libcuda.so.1") || m.contains("nvcuda.dll")) {
            return "no NVIDIA driver: libcuda.so.1 was not found (install the NVIDIA driver to use the cuda backend)";
        }
        String first = m.lines().findFirst().orElse(m);
        return "JCuda's native library could not be loaded: " + first
                + " (JCuda ships natives for linux-x86_64 and windows-x86_64)";
    }

    @Override
    public DeviceTopology topology(ContextOptions options) {
        throw new UnsupportedOperationException("in progress: the CUDA backend's device listing");
    }

    @Override
    public DeviceBackend open(ContextOptions options) {
        if (options.settingsFor(NAME) != null) {
            throw new IllegalArgumentException("the cuda backend takes no settings, but got "
                    + options.settingsFor(NAME) + "; drop them from ContextOptions");
        }
        Availability a = probe();
        if (!a.usable()) {
            throw new BackendUnavailableException("backend 'cuda' cannot be used: " + a.reason());
        }
        if (options.deviceOrdinal() >= a.deviceCount()) {
            throw new IllegalArgumentException("device ordinal " + options.deviceOrdinal() + " is out of range: "
                    + a.deviceCount() + " CUDA device(s) here");
        }
        return new CudaDevice(options.deviceOrdinal());
    }
}
