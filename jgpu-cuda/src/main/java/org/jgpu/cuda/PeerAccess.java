package org.jgpu.cuda;

import org.jgpu.PeerRoute;
import org.jgpu.cuda.driver.Peers;
import org.jgpu.spi.DeviceBackend;

/** Whether two CUDA devices copy directly, and enabling that: peer access between their primary contexts. */
final class PeerAccess {
    private PeerAccess() {
    }

    /**
     * @param other the device paired with a CUDA device
     * @param self that CUDA device, for the message
     * @return other, as a CUDA device
     * @throws IllegalArgumentException if other is not a device of the cuda backend
     */
    static CudaDevice cudaDevice(DeviceBackend other, Object self) {
        if (!(other instanceof CudaDevice o)) {
            throw new IllegalArgumentException("peerRoute: " + other + " is not a device of the cuda backend, so " + self
                    + " cannot copy to or from it; open every context of a device group with the cuda backend");
        }
        return o;
    }

    /**
     * How copies between two opened devices travel, enabling peer access where it is possible.
     * {@link PeerRoute#PEER} where {@code cuDeviceCanAccessPeer} allows access both ways: then
     * each device's primary context is given access to the other's memory
     * ({@code cuCtxEnablePeerAccess} grants the calling thread's current context access, so it is
     * called with each context current in turn; access already enabled counts as enabled). The
     * access stays for the JVM's life, as the primary contexts do. Where the devices cannot reach
     * each other, or the driver refuses access after all ({@code CUDA_ERROR_PEER_ACCESS_UNSUPPORTED},
     * {@code CUDA_ERROR_TOO_MANY_PEERS}), {@link PeerRoute#STAGED}: copies still work, the driver
     * stages them through host memory.
     *
     * @param a one device
     * @param b the other (two jgpu contexts of one device give {@link PeerRoute#SAME_DEVICE})
     * @return the route, the same both ways
     * @throws CudaException if either device was lost, or a driver call fails otherwise (a sticky
     *         error loses the device whose context was current)
     */
    static PeerRoute route(CudaDevice a, CudaDevice b) {
        if (a.ordinal == b.ordinal) {
            return PeerRoute.SAME_DEVICE;
        }
        a.checkNotLost();
        b.checkNotLost();
        if (!Peers.canAccess(a.cuDevice(), b.cuDevice(), a.ordinal, b.ordinal)
                || !Peers.canAccess(b.cuDevice(), a.cuDevice(), b.ordinal, a.ordinal)) {
            return PeerRoute.STAGED;
        }
        CudaDevice current = a;
        try {
            a.bind();
            Peers.enableAccess(b.context(), b.ordinal, a);
            current = b;
            b.bind();
            Peers.enableAccess(a.context(), a.ordinal, b);
            return PeerRoute.PEER;
        } catch (CudaException e) {
            if (Peers.isAccessRefused(e.code())) {
                return PeerRoute.STAGED;
            }
            throw current.failed(e, null);
        }
    }
}
