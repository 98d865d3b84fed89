package org.jgpu.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import org.jgpu.BackendUnavailableException;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceInfo;
import org.jgpu.DeviceTopology;
import org.jgpu.PeerRoute;
import org.jgpu.cuda.driver.Driver;
import org.jgpu.cuda.driver.Peers;
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

    /**
     * {@inheritDoc}
     *
     * <p>Reads every device's properties as an opened device reports them, without creating a
     * context. The route between two devices is {@link PeerRoute#PEER} where
     * {@code cuDeviceCanAccessPeer} allows access both ways (what a device group enables before
     * it copies), else {@link PeerRoute#STAGED}.
     *
     * @throws IllegalArgumentException if the options carry settings for this backend (it takes none)
     * @throws BackendUnavailableException with the probe's reason if the backend cannot be used
     * @throws CudaException if the driver cannot describe a device
     */
    @Override
    public DeviceTopology topology(ContextOptions options) {
        Availability a = usable(options);
        int n = a.deviceCount();
        CUdevice[] devices = new CUdevice[n];
        List<DeviceInfo> infos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            devices[i] = Driver.device(i);
            infos.add(DeviceProperties.read(devices[i], i));
        }
        boolean[][] reach = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                reach[i][j] = i != j && Peers.canAccess(devices[i], devices[j], i, j);
            }
        }
        List<PeerRoute> routes = new ArrayList<>(n * n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                routes.add(i == j ? PeerRoute.SAME_DEVICE : reach[i][j] && reach[j][i] ? PeerRoute.PEER : PeerRoute.STAGED);
            }
        }
        return new DeviceTopology(NAME, infos, routes);
    }

    @Override
    public DeviceBackend open(ContextOptions options) {
        Availability a = usable(options);
        if (options.deviceOrdinal() >= a.deviceCount()) {
            throw new IllegalArgumentException("device ordinal " + options.deviceOrdinal() + " is out of range: "
                    + a.deviceCount() + " CUDA device(s) here");
        }
        return new CudaDevice(options.deviceOrdinal());
    }

    /** Refuses settings for this backend (it takes none) and an unusable backend, with the probe's reason. */
    private Availability usable(ContextOptions options) {
        if (options.settingsFor(NAME) != null) {
            throw new IllegalArgumentException("the cuda backend takes no settings, but got "
                    + options.settingsFor(NAME) + "; drop them from ContextOptions");
        }
        Availability a = probe();
        if (!a.usable()) {
            throw new BackendUnavailableException("backend 'cuda' cannot be used: " + a.reason());
        }
        return a;
    }
}
