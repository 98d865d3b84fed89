package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostBuffer;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpKind;
import org.jgpu.spi.OpTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A copy, fill or launch is one object that is also its tag: it names the operation as the old
 * text did, and once issued it keeps nothing but what that text needs (not the caller's
 * argument array, which the caller may reuse at once).
 */
class TaggedOpTest {
    private CoreContext ctx;
    /** What the recording stream was called with: the method's name, then its arguments. */
    private final List<Object[]> calls = new ArrayList<>();
    private final NativeStream recording = (NativeStream) Proxy.newProxyInstance(NativeStream.class.getClassLoader(),
            new Class<?>[] {NativeStream.class}, (proxy, method, args) -> {
                Object[] call = new Object[args.length + 1];
                call[0] = method.getName();
                System.arraycopy(args, 0, call, 1, args.length);
                calls.add(call);
                return null;
            });

    @BeforeEach
    void open() {
        ctx = (CoreContext) Context.create(ContextOptions.builder().backend("host").build());
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    @Test
    void aCopyIsItsOwnTagAndNamesItsKindBytesStreamAndBothRanges() {
        try (HostBuffer h = ctx.allocHost(64, "h"); DeviceBuffer d = ctx.allocDevice(64, "d")) {
            CoreBuffer src = (CoreBuffer) h;
            CoreBuffer dst = (CoreBuffer) d.slice(16, 32);
            TaggedOp.Copy op = new TaggedOp.Copy("s", null, OpKind.COPY_H2D, src.memory(), src.touch(0, 32, true, false),
                    dst.memory(), dst.touch(0, 32, false, true));
            op.issue(recording);
            Object[] call = calls.get(0);
            assertEquals("copy", call[0]);
            assertEquals(List.of(0L, 16L, 32L), List.of(call[2], call[4], call[5]), "source offset, destination offset, bytes");
            assertSame(op, call[6], "the operation is the tag");
            assertEquals("copy H2D of 32 bytes on stream 's' using host buffer 'h' slice [0, 32),"
                    + " device buffer 'd' slice [16, 48)", op.toString());
        }
    }

    @Test
    void anIssuedLaunchKeepsNeitherTheCallersArgumentsNorItsConfigButStillNamesItsBuffers() {
        try (DeviceBuffer x = ctx.allocDevice(64, "x"); DeviceBuffer y = ctx.allocDevice(64, "y")) {
            CoreKernel saxpy = (CoreKernel) ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SAXPY);
            Object[] args = {2f, x, y, 16};
            TaggedOp.Launch op = KernelArguments.launch(ctx.scope(), saxpy, LaunchConfig.forElements(16), args, "s", null);
            assertSame(args, op.args(), "nothing to unwrap: the caller's array goes to the backend");
            op.issue(recording);
            assertSame(args, calls.get(0)[3]);
            assertNull(op.args(), "the caller may reuse its array as soon as the launch returns");
            OpTag tag = (OpTag) calls.get(0)[4];
            assertEquals(OpKind.LAUNCH, tag.kind());
            assertEquals("launch saxpy on stream 's' using device buffer 'x', device buffer 'y'", tag.toString());
        }
    }

    @Test
    void aWholeViewIsOneRangeMadeOncePerKindOfAccess() {
        try (DeviceBuffer d = ctx.allocDevice(64, "d")) {
            CoreBuffer b = (CoreBuffer) d;
            assertSame(b.touch(true, false), b.touch(0, 64, true, false));
            assertSame(b.touch(false, true), b.touch(false, true));
            assertNotNull(b.touch(true, true));
            assertEquals("device buffer 'd'", b.touch(true, false).toString());
            assertEquals("device buffer 'd' slice [8, 16)", b.touch(8, 8, true, false).toString());
        }
    }
}
