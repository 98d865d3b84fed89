package org.jgpu.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.sim.EngineModel;
import org.junit.jupiter.api.Test;

class StreamGroupTest {

    @Test
    void fanOutRoundRobinThenJoinOrdersAllTheWork() {
        try (Context ctx = Context.create(ContextOptions.builder().backend("host")
                .configure(EngineModel.builder().concurrentKernels(4).build()).build());
                StreamGroup group = StreamGroup.create(ctx, 3)) {
            Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Set<Stream> used = new HashSet<>();
            DeviceBuffer[] chunks = new DeviceBuffer[6];
            for (int i = 0; i < chunks.length; i++) {
                Stream s = group.next();
                used.add(s);
                chunks[i] = ctx.allocDevice(64);
                s.fill(chunks[i], (float) i);
                s.launch(spin, LaunchConfig.forElements(1), 5_000_000L);
                s.launch(scale, LaunchConfig.forElements(16), chunks[i], 2f, 16);
            }
            assertEquals(3, used.size());
            assertEquals(group.get(0), group.next(), "round robin wraps around");
            Stream sink = ctx.createStream();
            group.joinInto(sink);
            float[] out = new float[16];
            for (int i = 0; i < chunks.length; i++) {
                sink.copy(chunks[i], out);   // no hazard: sink joined every stream
                assertEquals(2f * i, out[15]);
            }
            assertTrue(group.get(1).query());
            assertThrows(IllegalArgumentException.class, () -> StreamGroup.create(ctx, 0));
        }
    }
}
