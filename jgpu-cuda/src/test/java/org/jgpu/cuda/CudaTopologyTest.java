package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Proxy;
import org.jgpu.BackendUnavailableException;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceTopology;
import org.jgpu.PeerRoute;
import org.jgpu.spi.Availability;
import org.jgpu.spi.DeviceBackend;
import org.junit.jupiter.api.Test;

/** The CUDA backend's device listing, and what it refuses (the refusals need no device). */
class CudaTopologyTest {
    private static final ContextOptions CUDA = ContextOptions.builder().backend("cuda").build();

    @Test
    void everyDeviceIsListedAsAnOpenedContextDescribesItWithRoutesAlikeBothWays() {
        Availability a = new CudaBackendProvider().probe();
        assumeTrue(a.usable(), () -> "cuda backend skipped: " + a.reason());
        DeviceTopology t = Context.devices(CUDA);
        assertEquals("cuda", t.backend());
        assertEquals(a.deviceCount(), t.size(), t.toString());
        for (int i = 0; i < t.size(); i++) {
            try (Context ctx = Context.create(CUDA.toBuilder().deviceOrdinal(i).build())) {
                assertEquals(ctx.device(), t.device(i), "device " + i + " listed as it is opened");
            }
            for (int j = 0; j < t.size(); j++) {
                if (i != j) {
                    assertNotEquals(PeerRoute.SAME_DEVICE, t.route(i, j), i + " to " + j);
                    // PEER needs access both ways, as a device group enables it
                    assertEquals(t.route(i, j), t.route(j, i), i + " to " + j + " and back");
                }
            }
        }
    }

    @Test
    void withoutAUsableDriverTheListingSaysWhyInTheProbesWords() {
        Availability a = new CudaBackendProvider().probe();
        assumeFalse(a.usable(), "a CUDA device is usable here: the listing works");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> new CudaBackendProvider().topology(CUDA));
        assertTrue(e.getMessage().contains(a.reason()), e.getMessage());
    }

    @Test
    void settingsForTheCudaBackendAreRefusedByTheListingAsByOpen() {
        ContextOptions withSettings = CUDA.toBuilder().configure(() -> "cuda").build();
        IllegalArgumentException listing = assertThrows(IllegalArgumentException.class,
                () -> new CudaBackendProvider().topology(withSettings));
        assertTrue(listing.getMessage().contains("takes no settings"), listing.getMessage());
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> new CudaBackendProvider().open(withSettings));
        assertEquals(open.getMessage(), listing.getMessage());
    }

    @Test
    void aPeerRouteToADeviceOfAnotherBackendIsRefusedNamingIt() {
        DeviceBackend host = (DeviceBackend) Proxy.newProxyInstance(DeviceBackend.class.getClassLoader(),
                new Class<?>[] {DeviceBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("toString")) {
                        return "host device 1";
                    }
                    throw new AssertionError("the check asks the other device nothing: " + method.getName());
                });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PeerAccess.cudaDevice(host, "device 0 (a GPU)"));
        assertTrue(e.getMessage().contains("host device 1 is not a device of the cuda backend")
                && e.getMessage().contains("device 0 (a GPU)"), e.getMessage());
    }
}
