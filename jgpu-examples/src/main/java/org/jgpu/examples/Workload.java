package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jgpu.pipeline.BufferedPipeline;

/** A pipeline workload that {@code compare} runs in every mode. */
interface Workload {
    /**
     * @param builder a pipeline builder
     * @return it, with this workload's sizes and stages
     */
    BufferedPipeline.Builder apply(BufferedPipeline.Builder builder);

    /** @return a one-line description of a batch */
    String describe();

    /** @return the workload as a JSON object (the {@code profile} of compare's output) */
    ObjectNode json();
}
