package org.jgpu.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.PeerRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The engine model's devices and interconnect: defaults, validation, builders, peer copy times. */
class EngineModelTest {

    @Test
    void theDefaultsSimulateOneDeviceAsBeforeWithPciePeerToPeer() {
        EngineModel m = EngineModel.DEFAULT;
        assertEquals(EngineModel.builder().build(), m);
        assertEquals(1, m.devices());
        assertEquals(Interconnect.PCIE, m.interconnect());
        assertEquals(24e9, m.peerBytesPerSecond());
        assertEquals(1, m.concurrentKernels());
        assertEquals(2, m.copyEngines());
        assertEquals(12e9, m.h2dBytesPerSecond());
        assertEquals(12e9, m.d2hBytesPerSecond());
        assertEquals(1000e9, m.deviceBytesPerSecond());
        assertEquals(2_000, m.copyLatencyNanos());
        assertEquals(2_000, m.launchNanos());
        assertEquals(8L << 30, m.memoryBytes());
    }

    @Test
    void eachInterconnectSaysItsRouteAndDefaultBandwidth() {
        assertEquals(PeerRoute.PEER, Interconnect.NVLINK.route());
        assertEquals(PeerRoute.PEER, Interconnect.PCIE.route());
        assertEquals(PeerRoute.STAGED, Interconnect.HOST.route());
        assertEquals(300e9, EngineModel.builder().interconnect(Interconnect.NVLINK).build().peerBytesPerSecond());
        assertEquals(24e9, EngineModel.builder().interconnect(Interconnect.HOST).build().peerBytesPerSecond());
    }

    @Test
    void anOutOfRangeFieldIsRefusedByName() {
        assertRefused("devices", () -> EngineModel.builder().devices(0).build());
        assertRefused("devices", () -> EngineModel.builder().devices(-3).build());
        assertRefused("interconnect", () -> EngineModel.builder().interconnect(null).build());
        assertRefused("peerBytesPerSecond", () -> EngineModel.builder().peerBytesPerSecond(0).build());
        assertRefused("peerBytesPerSecond", () -> EngineModel.builder().peerBytesPerSecond(-1).build());
        assertRefused("peerBytesPerSecond", () -> EngineModel.builder().peerBytesPerSecond(Double.NaN).build());
        assertRefused("interconnect", () -> new EngineModel(1, 2, 1e9, 1e9, 1e9, 0, 0, 1, 1, 1, null, 1e9));
    }

    private static void assertRefused(String field, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(field + " must"), e.getMessage());
    }

    @Test
    void toBuilderKeepsDevicesInterconnectAndBandwidth() {
        EngineModel m = EngineModel.builder().devices(4).interconnect(Interconnect.NVLINK).peerBytesPerSecond(50e9)
                .copyLatencyNanos(7).build();
        assertEquals(m, m.toBuilder().build());
        EngineModel h = EngineModel.builder().devices(3).interconnect(Interconnect.HOST).build();
        assertEquals(h, h.toBuilder().build());
        assertEquals(8, m.toBuilder().devices(8).build().devices());
    }

    @Test
    void theInterconnectsDefaultBandwidthFollowsTheInterconnectButAGivenOneStays() {
        EngineModel nvlink = EngineModel.builder().interconnect(Interconnect.NVLINK).build();
        assertEquals(24e9, nvlink.toBuilder().interconnect(Interconnect.PCIE).build().peerBytesPerSecond());
        EngineModel given = EngineModel.builder().peerBytesPerSecond(50e9).build();
        assertEquals(50e9, given.toBuilder().interconnect(Interconnect.NVLINK).build().peerBytesPerSecond());
        assertEquals(50e9, EngineModel.builder().peerBytesPerSecond(50e9).interconnect(Interconnect.NVLINK).build()
                .peerBytesPerSecond(), "the order of the builder calls does not matter");
    }

    @Test
    void aPeerCopyTakesTheLinkOrBothHostLegs() {
        EngineModel peer = EngineModel.builder().copyLatencyNanos(1_000).peerBytesPerSecond(1e9).build();
        assertEquals(1_000 + 4_000_000, peer.peerCopyNanos(4_000_000));
        EngineModel staged = peer.toBuilder().interconnect(Interconnect.HOST).d2hBytesPerSecond(2e9)
                .h2dBytesPerSecond(4e9).build();
        assertEquals(1_000 + 2_000_000 + 1_000 + 1_000_000, staged.peerCopyNanos(4_000_000));
        assertEquals(2_000, staged.peerCopyNanos(0));
    }
}
