package org.jgpu.conformance;

import static org.jgpu.conformance.Fixture.BYTES;
import static org.jgpu.conformance.Fixture.N;
import static org.jgpu.conformance.Fixture.Target.CONTEXT;
import static org.jgpu.conformance.Fixture.Target.DEVICE_BUFFER;
import static org.jgpu.conformance.Fixture.Target.DEVICE_BUFFER_2;
import static org.jgpu.conformance.Fixture.Target.EVENT;
import static org.jgpu.conformance.Fixture.Target.HOST_BUFFER;
import static org.jgpu.conformance.Fixture.Target.MODULE;
import static org.jgpu.conformance.Fixture.Target.OTHER_STREAM;
import static org.jgpu.conformance.Fixture.Target.STREAM;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Stream;
import org.jgpu.conformance.Fixture.Target;

/**
 * The one list of operations the conformance suite runs against every backend: in order,
 * after closing each object they use, and from several threads at once.
 */
final class Ops {
    /**
     * One operation.
     *
     * @param name what it is
     * @param uses the objects it uses besides the context
     * @param run runs it on a fixture
     */
    record Op(String name, Set<Target> uses, Consumer<Fixture> run) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Op op(String name, Consumer<Fixture> run, Target... uses) {
        EnumSet<Target> u = EnumSet.of(CONTEXT);
        u.addAll(List.of(uses));
        return new Op(name, u, run);
    }

    static final List<Op> ALL = List.of(
            op("stream.copy H2D", f -> f.stream.copy(f.host, f.dev), STREAM, HOST_BUFFER, DEVICE_BUFFER),
            op("stream.copy D2H", f -> f.stream.copy(f.dev, f.host), STREAM, HOST_BUFFER, DEVICE_BUFFER),
            op("stream.copy D2D", f -> f.stream.copy(f.dev, f.dev2), STREAM, DEVICE_BUFFER, DEVICE_BUFFER_2),
            op("stream.copy with offsets", f -> f.stream.copy(f.host, 16, f.dev, 32, 64), STREAM, HOST_BUFFER, DEVICE_BUFFER),
            op("stream.copy slice", f -> f.stream.copy(f.dev.slice(0, 64), f.dev2.slice(64, 64)), STREAM, DEVICE_BUFFER,
                    DEVICE_BUFFER_2),
            op("stream.copy float[] to buffer", f -> f.stream.copy(new float[N], f.dev), STREAM, DEVICE_BUFFER),
            op("stream.copy buffer to float[]", f -> f.stream.copy(f.dev, new float[N]), STREAM, DEVICE_BUFFER),
            op("stream.copy int[] to buffer", f -> f.stream.copy(new int[N], f.dev), STREAM, DEVICE_BUFFER),
            op("stream.copy buffer to byte[]", f -> f.stream.copy(f.dev, new byte[(int) BYTES]), STREAM, DEVICE_BUFFER),
            op("stream.upload float[]", f -> f.stream.upload(new float[N], f.dev), STREAM, DEVICE_BUFFER),
            op("stream.upload int[] range", f -> f.stream.upload(new int[N + 8], 5, N, f.dev), STREAM, DEVICE_BUFFER),
            op("stream.upload long[]", f -> f.stream.upload(new long[N / 2], f.dev), STREAM, DEVICE_BUFFER),
            op("stream.upload double[] range", f -> f.stream.upload(new double[N], 3, N / 4, f.dev), STREAM, DEVICE_BUFFER),
            op("stream.upload byte[]", f -> f.stream.upload(new byte[(int) BYTES], f.dev), STREAM, DEVICE_BUFFER),
            op("stream.download float[]", f -> f.stream.download(f.dev, new float[N]).join(), STREAM, DEVICE_BUFFER),
            op("stream.download int[] range", f -> f.stream.download(f.dev, new int[N + 8], 5, N).join(), STREAM,
                    DEVICE_BUFFER),
            op("stream.download long[]", f -> f.stream.download(f.dev, new long[N / 2]).join(), STREAM, DEVICE_BUFFER),
            op("stream.download double[] range", f -> {
                f.stream.download(f.dev, new double[N], 3, N / 4);
                f.stream.synchronize();
            }, STREAM, DEVICE_BUFFER),
            op("stream.download byte[]", f -> f.stream.download(f.dev, new byte[(int) BYTES]).join(), STREAM, DEVICE_BUFFER),
            op("stream.time", f -> f.stream.time(() -> f.stream.fill(f.dev, 0)), STREAM, DEVICE_BUFFER),
            op("stream.fill byte", f -> f.stream.fill(f.dev, (byte) 1), STREAM, DEVICE_BUFFER),
            op("stream.fill int", f -> f.stream.fill(f.dev, 7), STREAM, DEVICE_BUFFER),
            op("stream.fill float", f -> f.stream.fill(f.dev, 1.5f), STREAM, DEVICE_BUFFER),
            op("stream.launch", f -> f.stream.launch(f.scale, LaunchConfig.forElements(N), f.dev, 1.0f, N),
                    STREAM, DEVICE_BUFFER, MODULE),
            op("stream.launch with kernel.args()", f -> f.stream.launch(f.scale, LaunchConfig.forElements(N),
                    f.scale.args().set(0, f.dev).set(1, 1.0f).set(2, N)), STREAM, DEVICE_BUFFER, MODULE),
            op("stream.launch spin", f -> f.stream.launch(f.spin, LaunchConfig.forElements(1), 1000L), STREAM, MODULE),
            op("stream.record", f -> f.stream.record(), STREAM),
            op("stream.record(event)", f -> f.stream.record(f.event), STREAM, EVENT),
            op("stream.waitFor", f -> f.stream.waitFor(f.event), STREAM, EVENT),
            op("stream.join", f -> f.stream.join(f.other), STREAM, OTHER_STREAM),
            op("stream.query", f -> f.stream.query(), STREAM),
            op("stream.synchronize", f -> f.stream.synchronize(), STREAM),
            op("stream.onComplete", f -> f.stream.onComplete().join(), STREAM),
            op("stream.callback", f -> f.stream.callback(() -> { }).join(), STREAM),
            op("event.query", f -> f.event.query(), EVENT),
            op("event.synchronize", f -> f.event.synchronize(), EVENT),
            op("event.onComplete", f -> f.event.onComplete().join(), EVENT),
            op("event.elapsedSince", f -> f.event.elapsedSince(f.start), EVENT),
            op("hostBuffer.write", f -> f.host.write(0, new float[N]), HOST_BUFFER),
            op("hostBuffer.read", f -> f.host.read(0, new float[N]), HOST_BUFFER),
            op("hostBuffer.write long[] range", f -> f.host.write(2, new long[8], 1, 6), HOST_BUFFER),
            op("hostBuffer.read double[] range", f -> f.host.read(2, new double[8], 1, 6), HOST_BUFFER),
            op("hostBuffer.read byte[] range", f -> f.host.read(3, new byte[8], 2, 4), HOST_BUFFER),
            op("hostBuffer.toFloatArray", f -> f.host.toFloatArray(), HOST_BUFFER),
            op("hostBuffer.toIntArray", f -> f.host.toIntArray(), HOST_BUFFER),
            op("hostBuffer.toLongArray", f -> f.host.toLongArray(), HOST_BUFFER),
            op("hostBuffer.toDoubleArray", f -> f.host.toDoubleArray(), HOST_BUFFER),
            op("hostBuffer.toByteArray", f -> f.host.toByteArray(), HOST_BUFFER),
            op("hostBuffer.asByteBuffer", f -> f.host.asByteBuffer(), HOST_BUFFER),
            op("hostBuffer.putFloat/getFloat", f -> f.host.putFloat(3, f.host.getFloat(2)), HOST_BUFFER),
            op("hostBuffer.slice", f -> f.host.slice(8, 8).write(0, new byte[8]), HOST_BUFFER),
            op("deviceBuffer.slice", f -> f.dev.slice(8, 8), DEVICE_BUFFER),
            op("module.kernel", f -> f.module.kernel(BundledKernels.SAXPY), MODULE),
            op("context.createStream", f -> f.ctx.createStream().close()),
            op("context.createStream(name)", f -> f.ctx.createStream("named").close()),
            op("context.createEvent", f -> f.ctx.createEvent().close()),
            op("context.allocDevice", f -> f.ctx.allocDevice(64).close()),
            op("context.allocHost", f -> f.ctx.allocHost(64).close()),
            op("context.allocAsync", f -> f.ctx.allocAsync(64, f.stream).close(), STREAM),
            op("context.allocUpload", f -> f.ctx.allocUpload(new float[16], f.stream).close(), STREAM),
            op("context.allocUpload int[]", f -> f.ctx.allocUpload(new int[16], f.stream).close(), STREAM),
            op("context.allocUpload long[]", f -> f.ctx.allocUpload(new long[16], f.stream).close(), STREAM),
            op("context.allocUpload double[]", f -> f.ctx.allocUpload(new double[16], f.stream).close(), STREAM),
            op("context.allocUpload byte[]", f -> f.ctx.allocUpload(new byte[16], f.stream).close(), STREAM),
            op("context.memoryInfo", f -> f.ctx.memoryInfo()),
            op("context.loadModule", f -> f.ctx.loadModule(ModuleSource.bundled()).close()),
            op("context.createHostPool", f -> {
                try (var pool = f.ctx.createHostPool(64, 1); var lease = pool.acquire()) {
                    lease.buffer().write(0, new byte[8]);
                }
            }),
            op("context.defaultStream", f -> f.ctx.defaultStream().query()),
            op("context.streamPriorityRange", f -> f.ctx.streamPriorityRange()),
            op("context.borrowStream", f -> {
                // a stream made elsewhere: another context of the same backend and device
                try (Context owner = Context.create(ContextOptions.builder().backend(f.ctx.device().backend()).build());
                        Stream theirs = owner.createStream();
                        Stream borrowed = f.ctx.borrowStream(theirs.nativeHandle(), "borrowed")) {
                    borrowed.fill(f.dev, 0);
                    borrowed.synchronize();
                }
            }, DEVICE_BUFFER),
            op("stream.nativeHandle", f -> f.stream.nativeHandle(), STREAM),
            op("context.synchronize", f -> f.ctx.synchronize()),
            op("context.onComplete", f -> f.ctx.onComplete().join()));

    private Ops() {
    }
}
