package org.jgpu.sim;

import org.jgpu.PeerRoute;

/**
 * How the devices the host backend simulates are linked, which decides how a copy between two of
 * them travels and how long it takes ({@link EngineModel#peerCopyNanos}).
 *
 * <pre>{@code
 * EngineModel fourGpus = EngineModel.builder().devices(4).interconnect(Interconnect.NVLINK).build();
 * }</pre>
 */
public enum Interconnect {
    /**
     * NVLink: the devices reach each other's memory directly over a fast link, by default
     * 300 GB/s each way.
     */
    NVLINK(true, 300e9),
    /**
     * PCIe peer-to-peer: the devices reach each other's memory directly over PCIe, by default
     * 24 GB/s each way (PCIe 4.0 x16 as measured in practice).
     */
    PCIE(true, 24e9),
    /**
     * No peer access: a copy between devices goes to host memory at
     * {@link EngineModel#d2hBytesPerSecond()} and on to the other device at
     * {@link EngineModel#h2dBytesPerSecond()}, paying both legs and two copy latencies;
     * {@link EngineModel#peerBytesPerSecond()} is not used.
     */
    HOST(false, PCIE.bytesPerSecond);

    private final boolean peerAccess;
    private final double bytesPerSecond;

    Interconnect(boolean peerAccess, double bytesPerSecond) {
        this.peerAccess = peerAccess;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** @return true if the devices copy directly to each other's memory, false if through the host */
    public boolean peerAccess() {
        return peerAccess;
    }

    /**
     * @return the route of a copy between two different devices so linked:
     *         {@link PeerRoute#PEER} or {@link PeerRoute#STAGED}
     */
    public PeerRoute route() {
        return peerAccess ? PeerRoute.PEER : PeerRoute.STAGED;
    }

    /**
     * @return the link's default bandwidth each way, in bytes per second: what
     *         {@link EngineModel#peerBytesPerSecond()} is unless set
     */
    public double bytesPerSecond() {
        return bytesPerSecond;
    }
}
