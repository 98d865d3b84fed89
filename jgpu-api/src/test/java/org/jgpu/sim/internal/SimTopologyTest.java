package org.jgpu.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import org.jgpu.BackendSettings;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceGroup;
import org.jgpu.DeviceInfo;
import org.jgpu.DeviceTopology;
import org.jgpu.PeerRoute;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.Interconnect;
import org.jgpu.spi.DeviceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The host backend lists, opens and routes between as many devices as its engine model simulates. */
class SimTopologyTest {

    private static ContextOptions options(EngineModel model) {
        return ContextOptions.builder().backend("host").configure(model).build();
    }

    @Test
    void byDefaultTheHostBackendHasOneDevice() {
        DeviceTopology t = Context.devices(ContextOptions.builder().backend("host").build());
        assertEquals("host", t.backend());
        assertEquals(1, t.size());
        assertEquals(PeerRoute.SAME_DEVICE, t.route(0, 0));
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build())) {
            assertEquals(ctx.device(), t.device(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Interconnect.class)
    void oneDeviceHasOnlyItsOwnRoute(Interconnect link) {
        DeviceTopology t = Context.devices(options(EngineModel.builder().interconnect(link).build()));
        assertEquals(1, t.size());
        assertEquals(PeerRoute.SAME_DEVICE, t.route(0, 0));
    }

    @ParameterizedTest
    @EnumSource(Interconnect.class)
    void fourDevicesAreLinkedByTheInterconnect(Interconnect link) {
        EngineModel model = EngineModel.builder().devices(4).interconnect(link).memoryBytes(1L << 30).build();
        DeviceTopology t = Context.devices(options(model));
        assertEquals(4, t.size());
        PeerRoute between = link == Interconnect.HOST ? PeerRoute.STAGED : PeerRoute.PEER;
        for (int i = 0; i < 4; i++) {
            DeviceInfo d = t.device(i);
            assertEquals(i, d.ordinal());
            assertEquals(1L << 30, d.totalMemoryBytes());
            assertTrue(d.simulated());
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? PeerRoute.SAME_DEVICE : between, t.route(i, j), i + " -> " + j);
            }
            if (i != 3) {
                assertEquals(link != Interconnect.HOST, t.canAccessPeer(i, 3));
            }
        }
        try (DeviceGroup g = DeviceGroup.open(options(model), 4)) {
            for (int i = 0; i < 4; i++) {
                assertEquals(t.device(i), g.context(i).device(), "an opened device is as listed");
                for (int j = 0; j < 4; j++) {
                    assertEquals(t.route(i, j), g.route(g.context(i), g.context(j)));
                }
            }
        }
    }

    @Test
    void anOrdinalBeyondTheSimulatedDevicesIsRefusedSayingHowToSimulateMore() {
        EngineModel two = EngineModel.builder().devices(2).build();
        try (Context last = Context.create(options(two).toBuilder().deviceOrdinal(1).build())) {
            assertEquals(1, last.device().ordinal());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Context.create(options(two).toBuilder().deviceOrdinal(2).build()));
        assertTrue(e.getMessage().contains("simulates 2 devices") && e.getMessage().contains("devices(n)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Context.create(ContextOptions.builder().backend("host").deviceOrdinal(1).build()));
        assertTrue(e.getMessage().contains("simulates 1 device (ordinal 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DeviceGroup.open(options(two), 3));
        assertTrue(e.getMessage().contains("has 2"), e.getMessage());
    }

    @Test
    void settingsThatAreNotAnEngineModelAreRefusedWhenListing() {
        BackendSettings other = () -> "host";
        ContextOptions options = ContextOptions.builder().backend("host").configure(other).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimBackendProvider().topology(options));
        assertTrue(e.getMessage().contains("EngineModel"), e.getMessage());
    }

    @Test
    void aDeviceRoutesToAnotherByItsOrdinalAndRefusesAnotherBackendsDevice() {
        EngineModel model = EngineModel.builder().devices(2).interconnect(Interconnect.HOST).build();
        SimDevice a = new SimDevice(model, 0);
        SimDevice sameOrdinal = new SimDevice(model, 0);
        SimDevice b = new SimDevice(model, 1);
        try {
            assertEquals(PeerRoute.SAME_DEVICE, a.peerRoute(sameOrdinal));
            assertEquals(PeerRoute.STAGED, a.peerRoute(b));
            assertEquals(PeerRoute.STAGED, b.peerRoute(a));
            DeviceInfo cudaInfo = new DeviceInfo("cuda", 0, "a GPU", "8.0", "12.0", 1L << 30, 2, 32, 1024,
                    a.info().maxBlock(), a.info().maxGrid(), 48 * 1024, false);
            DeviceBackend cuda = (DeviceBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {DeviceBackend.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "info" -> cudaInfo;
                        case "toString" -> "cuda device 0";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.peerRoute(cuda));
            assertTrue(e.getMessage().contains("cuda device 0") && e.getMessage().contains("cuda backend"),
                    e.getMessage());
        } finally {
            a.close();
            sameOrdinal.close();
            b.close();
        }
    }
}
