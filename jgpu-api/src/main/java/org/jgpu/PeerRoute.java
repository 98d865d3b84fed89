package org.jgpu;

/**
 * How a copy between the memories of two devices travels, as {@link DeviceTopology#route} and
 * {@link DeviceGroup#route} report it.
 */
public enum PeerRoute {
    /** Both contexts run on one device: an ordinary device-to-device copy. */
    SAME_DEVICE("same device"),
    /**
     * Directly from one device's memory to the other's over their link (NVLink, or PCIe
     * peer-to-peer); the devices have peer access to each other's memory.
     */
    PEER("peer"),
    /**
     * Through host memory: the devices cannot reach each other's memory, so the bytes go to the
     * host and on to the other device, at the lower of the two host-link bandwidths or less.
     */
    STAGED("staged through host");

    private final String label;

    PeerRoute(String label) {
        this.label = label;
    }

    /** @return the name used in reports and timelines, e.g. {@code staged through host} */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
