package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumSet;
import org.jgpu.StreamFlag;
import org.jgpu.StreamOptions;
import org.jgpu.spi.Availability;
import org.jgpu.spi.NativeGraph;
import org.junit.jupiter.api.Test;

/** The callback watchdog's probe never touches the application's streams: a capture survives it. */
class WatchdogProbeTest {

    @Test
    void aProbeDuringACaptureLeavesTheCaptureAndTheStreamsErrorAlone() throws Exception {
        Availability a = new CudaBackendProvider().probe();
        assumeTrue(a.usable(), () -> "cuda backend skipped: " + a.reason());
        CudaDevice device = new CudaDevice(0);
        try {
            CudaStream blocking = (CudaStream) device.createStream(StreamOptions.builder().name("capturing").build());
            CudaStream nonBlocking = (CudaStream) device.createStream(StreamOptions.builder().name("nb")
                    .flags(EnumSet.of(StreamFlag.NON_BLOCKING)).build());
            for (CudaStream s : new CudaStream[] {blocking, nonBlocking}) {
                s.beginCapture();
                Thread watchdog = new Thread(() -> assertFalse(device.probe()));   // another thread, as the watchdog
                watchdog.start();
                watchdog.join();
                NativeGraph g = s.endCapture();   // throws CUDA_ERROR_STREAM_CAPTURE_INVALIDATED if the probe broke it
                g.destroy();
                assertNull(s.peekError(), s + ": the probe wrote no error");
                s.destroy();
            }
        } finally {
            device.close();
        }
    }
}
