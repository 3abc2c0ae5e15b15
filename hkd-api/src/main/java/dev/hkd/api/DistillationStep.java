package dev.hkd.api;

import ai.djl.training.ParameterStore;

/**
 * Everything a distiller sees at one step: both networks' outputs, the batch metadata, and the
 * parameter store with which it runs its own trainable modules.
 *
 * <pre>{@code
 * NDArray embedded = embedHead.forward(step.parameters(), new NDList(step.student().penultimate()),
 *         step.training()).singletonOrThrow();
 * }</pre>
 *
 * @param student the student's output; gradients flow through it
 * @param teacher the frozen teacher's output; constant. Null when the run has no teacher (every
 *     method's {@link Distiller#modelNeeds()} is {@link ModelNeeds#NONE})
 * @param batch labels, sample and contrast indices, epoch
 * @param parameters the store to pass to {@code Block.forward} of the distiller's own modules
 * @param training true during training, false when evaluating a loss without updating anything
 */
public record DistillationStep(
        NetworkOutput student, NetworkOutput teacher, StepBatch batch, ParameterStore parameters, boolean training) {}
