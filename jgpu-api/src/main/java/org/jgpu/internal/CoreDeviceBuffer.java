package org.jgpu.internal;

import org.jgpu.DeviceBuffer;
import org.jgpu.spi.NativeMemory;

/** The one implementation of {@link DeviceBuffer}. */
final class CoreDeviceBuffer extends CoreBuffer implements DeviceBuffer {
    @Override
    boolean isDeviceVisible() {
        return true;
    }


    CoreDeviceBuffer(Scope scope, NativeMemory memory, String name, CoreStream orderedBy) {
        super(scope, memory, name, "device buffer", orderedBy);
    }

    private CoreDeviceBuffer(CoreDeviceBuffer parent, long offset, long length) {
        super(parent, offset, length);
    }

    @Override
    public DeviceBuffer slice(long offset, long length) {
        checkSlice(offset, length);
        return new CoreDeviceBuffer(this, offset, length);
    }

    @Override
    public boolean isStreamOrdered() {
        return isStreamOrderedRoot();
    }
}
