package org.jgpu.cuda.driver;

import java.util.Map;
import java.util.Set;
import jcuda.driver.CUresult;

/**
 * What jgpu knows about CUDA's result codes without asking the driver: which are sticky, and the
 * names of the codes newer than JCuda 12.6 (whose {@code CUresult.stringFor} prints
 * {@code INVALID CUresult: N} for them).
 */
final class ErrorCodes {
    /**
     * Errors after which the process's CUDA state is unusable: {@code cuda.h} (CUDA 13) says "the
     * process must be terminated and relaunched" or "the context cannot be used anymore" for each
     * (ECC and NVLink uncorrectable errors are hardware faults of the same kind). Codes JCuda 12.6
     * lacks are literals.
     */
    static final Set<Integer> STICKY = Set.of(
            CUresult.CUDA_ERROR_ECC_UNCORRECTABLE,          // 214
            CUresult.CUDA_ERROR_NVLINK_UNCORRECTABLE,       // 220
            226,                                            // CUDA_ERROR_CONTAINED
            CUresult.CUDA_ERROR_ILLEGAL_ADDRESS,            // 700
            CUresult.CUDA_ERROR_LAUNCH_TIMEOUT,             // 702
            CUresult.CUDA_ERROR_ASSERT,                     // 710
            CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR,       // 714
            CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION,        // 715
            CUresult.CUDA_ERROR_MISALIGNED_ADDRESS,         // 716
            CUresult.CUDA_ERROR_INVALID_ADDRESS_SPACE,      // 717
            CUresult.CUDA_ERROR_INVALID_PC,                 // 718
            CUresult.CUDA_ERROR_LAUNCH_FAILED,              // 719
            721,                                            // CUDA_ERROR_TENSOR_MEMORY_LEAK
            CUresult.CUDA_ERROR_MPS_CLIENT_TERMINATED,      // 810
            CUresult.CUDA_ERROR_EXTERNAL_DEVICE);           // 911

    /** The codes of CUDA 13's {@code cuda.h} that JCuda 12.6's {@code CUresult} does not name. */
    static final Map<Integer, String> NEWER_THAN_JCUDA = Map.of(
            36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER",
            225, "CUDA_ERROR_UNSUPPORTED_DEVSIDE_SYNC",
            226, "CUDA_ERROR_CONTAINED",
            402, "CUDA_ERROR_LOSSY_QUERY",
            721, "CUDA_ERROR_TENSOR_MEMORY_LEAK",
            913, "CUDA_ERROR_FUNCTION_NOT_LOADED",
            914, "CUDA_ERROR_INVALID_RESOURCE_TYPE",
            915, "CUDA_ERROR_INVALID_RESOURCE_CONFIGURATION",
            916, "CUDA_ERROR_KEY_ROTATION");

    private ErrorCodes() {
    }

    /**
     * The name of a code from Java alone: the table above, else JCuda's.
     *
     * @param code a CUresult
     * @return its {@code CUDA_ERROR_...} name, or {@code CUresult N (unknown)} for a code newer
     *         than CUDA 13
     */
    static String javaName(int code) {
        String n = NEWER_THAN_JCUDA.get(code);
        if (n != null) {
            return n;
        }
        n = CUresult.stringFor(code);
        return n.startsWith("INVALID CUresult") ? "CUresult " + code + " (unknown)" : n;
    }
}
