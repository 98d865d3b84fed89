package org.jgpu.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceGroup;
import org.jgpu.DeviceTopology;
import org.jgpu.PeerRoute;
import org.jgpu.spi.BackendProvider;

/** Opens {@link DeviceGroup}s: one context per device, all in one hazard domain. */
public final class DeviceGroups {
    private DeviceGroups() {
    }

    /**
     * @param options the options of every context
     * @param devices how many devices, from ordinal 0
     * @return the group
     * @throws IllegalArgumentException if devices is below 1 or above the backend's count
     * @see DeviceGroup#open(ContextOptions, int)
     */
    public static DeviceGroup open(ContextOptions options, int devices) {
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be >= 1, got " + devices);
        }
        return open(options, IntStream.range(0, devices).boxed().toList(), devices);
    }

    /**
     * @param options the options of every context
     * @param ordinals the devices
     * @return the group
     * @throws IllegalArgumentException if ordinals is null, empty, repeats or is out of range
     * @see DeviceGroup#open(ContextOptions, List)
     */
    public static DeviceGroup open(ContextOptions options, List<Integer> ordinals) {
        if (ordinals == null || ordinals.isEmpty()) {
            throw new IllegalArgumentException("ordinals must name at least one device, got " + ordinals);
        }
        return open(options, List.copyOf(ordinals), -1);
    }

    private static DeviceGroup open(ContextOptions options, List<Integer> ordinals, int asked) {
        ContextOptions o = options == null ? ContextOptions.DEFAULT : options;
        BackendProvider p = Contexts.chosen(o);
        DeviceTopology topology = p.topology(o);
        if (asked > topology.size()) {
            throw new IllegalArgumentException("asked for " + asked + " devices but the " + p.name() + " backend has "
                    + topology.size() + " (Context.devices(options) lists them; a simulating backend's settings say how many"
                    + " it simulates)");
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer ordinal : ordinals) {
            if (ordinal == null || ordinal < 0 || ordinal >= topology.size()) {
                throw new IllegalArgumentException("device " + ordinal + " is out of range: the " + p.name() + " backend has "
                        + topology.size() + " (0.." + (topology.size() - 1) + ")");
            }
            if (!seen.add(ordinal)) {
                throw new IllegalArgumentException("device " + ordinal + " is named twice in " + ordinals
                        + ": a group has one context per device");
            }
        }
        HazardDomain domain = new HazardDomain(o.hazardMode());
        List<CoreContext> contexts = new ArrayList<>(ordinals.size());
        try {
            for (int ordinal : ordinals) {
                contexts.add(Contexts.open(o.toBuilder().deviceOrdinal(ordinal).build(), p, false, domain));
            }
            domain.routes(routes(contexts));
        } catch (RuntimeException e) {
            for (CoreContext c : contexts) {
                try {
                    c.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new CoreDeviceGroup(contexts, topology);
    }

    /** Asks every pair of devices for its route, which enables peer access where it is possible. */
    private static PeerRoute[][] routes(List<CoreContext> contexts) {
        int n = contexts.size();
        PeerRoute[][] routes = new PeerRoute[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                routes[i][j] = i == j ? PeerRoute.SAME_DEVICE
                        : contexts.get(i).scope().backend().peerRoute(contexts.get(j).scope().backend());
            }
        }
        return routes;
    }
}
