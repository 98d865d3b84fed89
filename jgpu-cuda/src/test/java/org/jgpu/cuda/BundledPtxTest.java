package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.host.HostKernels;
import org.jgpu.spi.PtxEntries;
import org.junit.jupiter.api.Test;

/** The bundled PTX, the kernels' contracts and the host backend's twins agree. */
class BundledPtxTest {

    @Test
    void everyBundledKernelIsInThePtxWithTheContractsParametersAndHasATwin() {
        ModuleSource src = ModuleSource.resource(getClass().getClassLoader(), BundledKernels.PTX_RESOURCE);
        List<KernelSignature> ptx = PtxEntries.parse(src.ptxText());
        for (KernelSignature contract : BundledKernels.contracts()) {
            KernelSignature declared = ptx.stream().filter(s -> s.name().equals(contract.name())).findFirst()
                    .orElseThrow(() -> new AssertionError(contract.name() + " is missing from the bundled PTX"));
            assertTrue(contract.matchesPtx(declared), contract + " vs PTX " + declared);
            assertNotNull(HostKernels.find(contract.name()), contract.name() + " has no Java twin");
            assertEquals(contract, HostKernels.find(contract.name()).signature());
        }
        assertEquals(BundledKernels.contracts().size(), ptx.size(), "PTX entries without a contract: " + ptx);
    }

    @Test
    void thePtxSaysWhichIsaVersionItNeeds() {
        String text = ModuleSource.resource(getClass().getClassLoader(), BundledKernels.PTX_RESOURCE).ptxText();
        assertTrue(text.contains(".version 9.0"), "docs/kernels.md names PTX ISA 9.0 (CUDA 13 drivers): update both");
    }

    @Test
    void withoutADriverTheProbeGivesOneLineThatSaysWhy() {
        var a = new CudaBackendProvider().probe();
        if (!a.usable()) {
            assertFalse(a.reason().contains("\n"), a.reason());
            assertFalse(a.reason().isBlank());
        }
    }
}
