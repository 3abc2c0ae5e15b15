package dev.hkd.experiments.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.NetworkOutput;
import dev.hkd.api.Scalars;
import dev.hkd.api.StepBatch;
import dev.hkd.testkit.parity.ParityCase;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import dev.hkd.training.train.TrainingStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A logit case run through the registered method as training runs it: the method built by
 * {@link MethodSet} from the case's weights and options, CE as {@link TrainingStep} computes it,
 * {@code γ·CE + w·(the method's terms)}. Each {@link #run} is a fresh forward and backward, so
 * the gradients of different selections do not mix. The teacher's logits are optional
 * ({@code inputs.logits_t}): without them the step has no teacher, as a Tf-KD run has none.
 */
final class DistillerCase {

    /**
     * One forward pass: the framework's weighted total and named terms, the single method's own
     * terms and its weight.
     */
    record Forward(MethodSet.StepLoss framework, LossTerms method, double weight, MethodSet methods) {

        /** The method's weighted sum, {@code w · Σ terms}, without the CE. */
        NDArray methodTotal() {
            return Scalars.mul(method.sum(), weight);
        }
    }

    /** A pass's forward, the value differentiated, and the gradients of the student logits and the method's parameters. */
    record Pass(Forward forward, double value, NDArray logitsGradient, Map<String, NDArray> parameterGradients) {}

    private final ParityCase parityCase;
    private final NDManager manager;
    private final MethodConfig config;
    private final int epoch;
    private final Consumer<MethodSet> load;

    /**
     * @param epoch the 0-based epoch the step reports
     * @param load sets the method's parameters from the case's {@code state} after {@code prepare}
     */
    DistillerCase(ParityCase parityCase, NDManager manager, MethodConfig config, int epoch, Consumer<MethodSet> load) {
        this.parityCase = parityCase;
        this.manager = manager;
        this.config = config;
        this.epoch = epoch;
        this.load = load;
    }

    Pass run(Function<Forward, NDArray> select) {
        JsonNode in = parityCase.root().path("inputs");
        NDArray s = ParityCase.tensor(manager, in, "logits_s", "inputs");
        NDArray t = in.has("logits_t") ? ParityCase.tensor(manager, in, "logits_t", "inputs") : null;
        NDArray labels = ParityCase.tensor(manager, in, "labels", "inputs");
        s.setRequiresGradient(true);
        MethodSet methods = MethodSet.build(config, DistillerRegistry.fromClasspath(), null);
        if (methods.components().size() != 1) {
            throw new IllegalArgumentException("a distiller case runs one method, not '" + config.name() + "'");
        }
        int classes = Math.toIntExact(s.getShape().get(1));
        methods.prepare(new DistillerSetup(
                manager,
                List.of(),
                List.of(),
                classes,
                Math.toIntExact(s.getShape().get(0))));
        load.accept(methods);
        MethodSet.Component component = methods.components().get(0);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray value;
        Forward forward;
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
            DistillationStep step = new DistillationStep(
                    new NetworkOutput(s, List.of(), List.of()),
                    t == null ? null : new NetworkOutput(t, List.of(), List.of()),
                    new StepBatch(labels, null, null, epoch),
                    ps,
                    true);
            MethodSet.StepLoss framework = methods.loss(TrainingStep.crossEntropy(s, labels), step);
            forward = new Forward(framework, component.distiller().loss(step), component.weight(), methods);
            value = select.apply(forward);
            gc.backward(value);
        }
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        for (Map.Entry<String, Block> e : methods.trainableModules().entrySet()) {
            for (ai.djl.util.Pair<String, Parameter> p : e.getValue().getParameters()) {
                gradients.put(p.getKey(), p.getValue().getArray().getGradient());
            }
        }
        return new Pass(forward, value.getFloat(), s.getGradient(), gradients);
    }

    /** A scalar of the forward pass, to the host. */
    static double scalar(NDArray v) {
        return v.getFloat();
    }
}
