package org.jgpu;

import java.util.List;

/**
 * The devices of one backend and how copies travel between each pair of them.
 *
 * <pre>{@code
 * DeviceTopology t = Context.devices();
 * for (DeviceInfo d : t.devices()) {
 *     System.out.println(d.ordinal() + ": " + d.name() + ", " + d.totalMemoryBytes() + " bytes");
 * }
 * boolean direct = t.canAccessPeer(0, 1);   // false where copies between them go through the host
 * }</pre>
 *
 * @param backend the backend's name
 * @param devices the devices, indexed by ordinal
 * @param routes {@code devices.size()²} routes, row by row: the route from device {@code i} to
 *        device {@code j} is at {@code i * devices.size() + j}; {@link PeerRoute#SAME_DEVICE} on
 *        the diagonal
 */
public record DeviceTopology(String backend, List<DeviceInfo> devices, List<PeerRoute> routes) {

    /**
     * Checks the components.
     *
     * @param backend the backend's name
     * @param devices the devices, indexed by ordinal
     * @param routes the routes, row by row
     * @throws IllegalArgumentException if a component is null, the routes are not one per ordered
     *         pair, a device's ordinal is not its index, or the diagonal is not
     *         {@link PeerRoute#SAME_DEVICE}
     */
    public DeviceTopology {
        if (backend == null || devices == null || routes == null) {
            throw new IllegalArgumentException("backend, devices and routes must not be null");
        }
        devices = List.copyOf(devices);
        routes = List.copyOf(routes);
        int n = devices.size();
        if (routes.size() != n * n) {
            throw new IllegalArgumentException("routes must hold " + n * n + " entries (one per ordered pair of " + n
                    + " devices), got " + routes.size());
        }
        for (int i = 0; i < n; i++) {
            if (devices.get(i).ordinal() != i) {
                throw new IllegalArgumentException("device at index " + i + " has ordinal " + devices.get(i).ordinal());
            }
            if (routes.get(i * n + i) != PeerRoute.SAME_DEVICE) {
                throw new IllegalArgumentException("the route from device " + i + " to itself must be SAME_DEVICE, got "
                        + routes.get(i * n + i));
            }
        }
    }

    /** @return how many devices the backend has */
    public int size() {
        return devices.size();
    }

    /**
     * @param ordinal a device ordinal
     * @return that device
     * @throws IllegalArgumentException if the ordinal is out of range
     */
    public DeviceInfo device(int ordinal) {
        check(ordinal, "ordinal");
        return devices.get(ordinal);
    }

    /**
     * @param from the source device's ordinal
     * @param to the destination device's ordinal
     * @return how a copy from {@code from}'s memory to {@code to}'s travels
     * @throws IllegalArgumentException if an ordinal is out of range
     */
    public PeerRoute route(int from, int to) {
        check(from, "from");
        check(to, "to");
        return routes.get(from * devices.size() + to);
    }

    /**
     * @param from the device that reads or writes
     * @param to the device whose memory it reaches
     * @return true if the two devices copy directly ({@link PeerRoute#PEER})
     * @throws IllegalArgumentException if an ordinal is out of range
     */
    public boolean canAccessPeer(int from, int to) {
        return route(from, to) == PeerRoute.PEER;
    }

    private void check(int ordinal, String role) {
        if (ordinal < 0 || ordinal >= devices.size()) {
            throw new IllegalArgumentException(role + " device " + ordinal + " is out of range: the " + backend
                    + " backend has " + devices.size() + " device" + (devices.size() == 1 ? "" : "s")
                    + (devices.isEmpty() ? "" : " (0.." + (devices.size() - 1) + ")"));
        }
    }
}
