package org.jgpu.cuda;

import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import org.jgpu.CudaException;
import org.jgpu.cuda.driver.Streams;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeStream;

/** A captured CUDA graph and its executable form, instantiated once. */
final class CudaGraph implements NativeGraph {
    private final CudaDevice device;
    private final CUgraph graph;
    private final CUgraphExec exec;

    CudaGraph(CudaDevice device, CUgraph graph) {
        this.device = device;
        this.graph = graph;
        this.exec = Streams.instantiate(graph);
    }

    @Override
    public void launch(NativeStream stream) {
        device.enter();
        CudaStream s = (CudaStream) stream;
        try {
            Streams.launchGraph(exec, s.handle, s);
        } catch (CudaException e) {
            throw device.failed(e, "launch of a captured graph on " + s);
        }
    }

    @Override
    public void destroy() {
        if (!device.isLost()) {
            device.bind();
            Streams.destroyGraph(graph, exec);
        }
    }
}
