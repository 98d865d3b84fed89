package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.sim.KernelTwins;
import org.jgpu.spi.PtxEntries;
import org.junit.jupiter.api.Test;

/** The bundled PTX, the kernels' contracts and the host backend's twins agree. */
class BundledPtxTest {

    @Test
    void everyBundledKernelIsInThePtxWithTheContractsParametersAndHasATwin() {
        ModuleSource src = ModuleSource.resource(getClass().getClassLoader(), BundledBinaries.PTX_RESOURCE);
        List<KernelSignature> ptx = PtxEntries.parse(src.ptxText());
        for (KernelSignature contract : BundledKernels.contracts()) {
            KernelSignature declared = ptx.stream().filter(s -> s.name().equals(contract.name())).findFirst()
                    .orElseThrow(() -> new AssertionError(contract.name() + " is missing from the bundled PTX"));
            assertTrue(contract.matchesPtx(declared), contract + " vs PTX " + declared);
            assertNotNull(KernelTwins.find(contract.name()), contract.name() + " has no Java twin");
            assertEquals(contract, KernelTwins.find(contract.name()).signature());
        }
        assertEquals(BundledKernels.contracts().size(), ptx.size(), "PTX entries without a contract: " + ptx);
    }

    @Test
    void thePtxSaysWhichIsaVersionItNeeds() {
        String text = ModuleSource.resource(getClass().getClassLoader(), BundledBinaries.PTX_RESOURCE).ptxText();
        assertTrue(text.contains("\n.version 7.0\n"), "docs/kernels.md and docs/cuda.md name PTX ISA 7.0 (drivers for "
                + "CUDA 11.0 and newer), and kernels/build.sh declares it: update all three");
        assertTrue(text.contains("\n.target sm_75\n"), "docs name sm_75 as the oldest GPU");
    }

    @Test
    void onlyKernelsWhoseTwinsUseMathFmaHaveFusedMultiplyAddsInThePtx() {
        // nvcc contracts a * b + c into one fma.rn; a twin computing it in two roundings would
        // differ by an ulp, so every kernel with an fma.rn must have a twin using Math.fma
        String text = ModuleSource.resource(getClass().getClassLoader(), BundledBinaries.PTX_RESOURCE).ptxText();
        java.util.Set<String> withFma = new java.util.TreeSet<>();
        String entry = null;
        for (String line : text.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.entry (\\w+)\\(").matcher(line);
            if (m.find()) {
                entry = m.group(1);
            } else if (line.contains("fma.rn") && entry != null) {
                withFma.add(entry);
            }
        }
        assertEquals(java.util.Set.of(BundledKernels.FMA_LOOP, BundledKernels.L2_DISTANCES, BundledKernels.SAXPY), withFma,
                "kernels with fused multiply-adds in the PTX; their twins must use Math.fma (BundledTwins)");
    }

    @Test
    void theFatbinIsOnTheClassPathSmallAndHoldsSassForAmpereAndHopperAndThePtx() throws Exception {
        byte[] fatbin;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(BundledBinaries.FATBIN_RESOURCE)) {
            assertNotNull(in, BundledBinaries.FATBIN_RESOURCE + " is missing: run bash kernels/build.sh");
            fatbin = in.readAllBytes();
        }
        assertTrue(fatbin.length < 64 * 1024, "the fatbin stays small (compressed): " + fatbin.length + " bytes");
        // a fat binary starts with its magic 0xBA55ED50 (little-endian), then version 1
        ByteBuffer b = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xBA55ED50, b.getInt(0), "fatbin magic");
        assertEquals(List.of("sass sm_80", "sass sm_90", "ptx sm_75"), images(b));
        assertEquals(fatbin.length, CudaModule.bundledFatbin().length, "the backend reads the same resource");
    }

    /**
     * The images of a fat binary: after its 16-byte header (magic, version, header size, payload
     * size), each image has a header with its kind (1 PTX, 2 ELF) at byte 0, the header's size
     * at 4, the image's size at 8 and the SM version at 28.
     */
    private static List<String> images(ByteBuffer b) {
        List<String> out = new ArrayList<>();
        int headerSize = Short.toUnsignedInt(b.getShort(6));
        long end = headerSize + b.getLong(8);
        assertEquals(b.capacity(), end, "one fat binary fills the file");
        for (long at = headerSize; at < end; ) {
            int i = (int) at;
            int kind = Short.toUnsignedInt(b.getShort(i));
            out.add((kind == 1 ? "ptx" : kind == 2 ? "sass" : "kind " + kind) + " sm_" + b.getInt(i + 28));
            at += b.getInt(i + 4) + b.getLong(i + 8);
        }
        return out;
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
