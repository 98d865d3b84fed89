package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Stream;
import org.jgpu.sim.internal.SimBackendProvider;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeStream;
import org.junit.jupiter.api.Test;

/**
 * A heap copy tells its backend stream, under the context's enqueue lock and in stream order,
 * that the copy follows ({@code beginHeapCopy}); the copy itself runs outside the lock on the
 * same thread, with no lock of the context taken in between.
 */
class HeapCopyOrderTest {

    @Test
    void beginHeapCopyRunsUnderTheEnqueueLockRightBeforeCopyHeap() {
        ContextOptions options = ContextOptions.builder().backend("host").build();
        DeviceBackend host = new SimBackendProvider().open(options);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CoreContext[] ctx = new CoreContext[1];
        Map<Object, Object> real = Collections.synchronizedMap(new IdentityHashMap<>());
        InvocationHandler streams = (proxy, m, args) -> {
            NativeStream s = (NativeStream) real.get(proxy);
            String name = m.getName();
            if (name.equals("beginHeapCopy") || name.equals("copyHeap") || name.equals("endHeapCopy")) {
                log.add(name + (ctx[0].scope().sequencer().holdsLock() ? " locked" : " unlocked"));
            }
            return invoke(m, s, unwrap(args, real));
        };
        DeviceBackend backend = (DeviceBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DeviceBackend.class}, (proxy, m, args) -> {
                    Object r = invoke(m, host, unwrap(args, real));
                    if (r instanceof NativeStream s) {
                        Object p = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {NativeStream.class},
                                streams);
                        real.put(p, s);
                        return p;
                    }
                    return r;
                });
        ctx[0] = new CoreContext(backend, options, false, null);
        try (Stream s = ctx[0].createStream(); DeviceBuffer d = ctx[0].allocDevice(16)) {
            s.copy(new byte[16], d);
            assertEquals(List.of("beginHeapCopy locked", "copyHeap unlocked"), log);
        } finally {
            ctx[0].close();
        }
    }

    private static Object[] unwrap(Object[] args, Map<Object, Object> real) {
        if (args == null) {
            return null;
        }
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            Object r = out[i] == null ? null : real.get(out[i]);
            if (r != null) {
                out[i] = r;
            }
        }
        return out;
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
