package org.jgpu.cuda.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jgpu.cuda.CudaException;
import org.junit.jupiter.api.Test;

/** Which CUDA errors are sticky, and what every code is called, without a driver. */
class ErrorCodesTest {
    /** Each documented enumerator of CUresult in cuda.h: its comment, name and value. */
    private static final Pattern ENTRY = Pattern.compile("/\\*\\*(.*?)\\*/\\s*(CUDA_\\w+)\\s*=\\s*(\\d+)", Pattern.DOTALL);

    private static String name(int code) {
        return Driver.error(code, "op").errorName();
    }

    private static boolean sticky(int code) {
        return Driver.error(code, "op").isSticky();
    }

    @Test
    void everyErrorCudaThirteenCallsFatalIsSticky() {
        int[] sticky = {214, 220, 226, 700, 702, 710, 714, 715, 716, 717, 718, 719, 721, 810, 911};
        for (int code : sticky) {
            CudaException e = Driver.error(code, "cuStreamSynchronize on stream 's'");
            assertTrue(e.isSticky(), code + " " + e.errorName() + " must be sticky");
        }
        for (int code : new int[] {1, 2, 200, 201, 400, 600, 701, 709, 999}) {
            assertFalse(Driver.error(code, "op").isSticky(), code + " is not sticky");
        }
    }

    @Test
    void aCallbacksStatusIsNamedFromTheJavaTableAlone() {
        org.jgpu.cuda.CudaException e = Driver.errorFromCallback(700, "stream callback on stream 's'");
        assertTrue(e.isSticky());
        assertEquals(700, e.code());
        assertTrue(e.getMessage().contains("CUDA_ERROR_ILLEGAL_ADDRESS") && e.getMessage().contains("stream 's'"),
                e.getMessage());
        assertTrue(Driver.errorFromCallback(226, "x").getMessage().contains("CUDA_ERROR_CONTAINED"));
    }

    @Test
    void codesNewerThanJcudaHaveTheirCudaNames() {
        Map<Integer, String> expected = new LinkedHashMap<>();
        expected.put(36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER");
        expected.put(225, "CUDA_ERROR_UNSUPPORTED_DEVSIDE_SYNC");
        expected.put(226, "CUDA_ERROR_CONTAINED");
        expected.put(402, "CUDA_ERROR_LOSSY_QUERY");
        expected.put(721, "CUDA_ERROR_TENSOR_MEMORY_LEAK");
        expected.put(913, "CUDA_ERROR_FUNCTION_NOT_LOADED");
        expected.put(914, "CUDA_ERROR_INVALID_RESOURCE_TYPE");
        expected.put(915, "CUDA_ERROR_INVALID_RESOURCE_CONFIGURATION");
        expected.put(916, "CUDA_ERROR_KEY_ROTATION");
        expected.forEach((code, name) -> {
            CudaException e = Driver.error(code, "cuLaunchKernel");
            assertEquals(name, e.errorName());
            assertTrue(e.getMessage().contains(name + " (" + code + ")"), e.getMessage());
        });
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", name(700), "JCuda's own names still serve");
        assertEquals("CUresult 12345 (unknown)", name(12345));
    }

    /**
     * Against the cuda.h of an installed CUDA toolkit, when there is one: every code is named,
     * and every code documented as fatal to the process or the context is sticky.
     */
    @Test
    void cudaHeaderAgrees() throws IOException {
        Path header = Stream.of(System.getenv("CUDA_HOME"), System.getenv("CUDA_PATH"), "/usr/local/cuda")
                .filter(Objects::nonNull).map(d -> Path.of(d, "include", "cuda.h"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(header != null, "no CUDA toolkit's cuda.h here (CUDA_HOME, CUDA_PATH, /usr/local/cuda)");
        String text = Files.readString(header);
        int from = text.indexOf("typedef enum cudaError_enum");
        String results = text.substring(from, text.indexOf("} CUresult;", from));
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (Matcher m = ENTRY.matcher(results); m.find(); seen++) {
            String doc = m.group(1).replaceAll("\\s*\\*\\s*", " ");
            String name = m.group(2);
            int code = Integer.parseInt(m.group(3));
            if (!name(code).equals(name)) {
                wrong.add(code + " is named " + name(code) + ", not " + name);
            }
            boolean fatal = doc.contains("must be terminated") || doc.contains("cannot be used anymore");
            if (fatal && !sticky(code)) {
                wrong.add(code + " " + name + " is documented as fatal but not sticky");
            }
        }
        assertTrue(seen > 90, "parsed only " + seen + " codes of " + header);
        assertTrue(wrong.isEmpty(), header + ": " + wrong);
    }
}
