package dev.hkd.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.hkd.api.ArrayCopy;
import dev.hkd.api.Scalars;
import dev.hkd.training.config.OptimizerConfig;
import dev.hkd.training.io.SafeTensors;
import dev.hkd.training.io.SafeTensorsException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with PyTorch's update rule (docs/methods.md#recipe): {@code g ← ∇ + wd·w},
 * {@code buf ← μ·buf + g} (the first step gives {@code buf = g}, as a zero buffer does),
 * {@code w ← w − lr·buf}, or with Nesterov {@code w ← w − lr·(g + μ·buf)}. Weight decay applies
 * to every trained parameter. Gradients are zeroed after each step.
 */
public final class Sgd {

    private final Map<String, Parameter> parameters;
    private final Map<String, NDArray> momentum = new LinkedHashMap<>();
    private final OptimizerConfig config;

    /** Momentum buffers live in {@code manager} for the whole run, outside any step scope. */
    public Sgd(Map<String, Parameter> parameters, OptimizerConfig config, NDManager manager) {
        this.parameters = parameters;
        this.config = config;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray w = e.getValue().getArray();
            momentum.put(e.getKey(), manager.zeros(w.getShape(), w.getDataType()));
        }
    }

    /** One update; must run outside gradient recording and inside a step scope (temporaries). */
    public void step(double learningRate) {
        float mu = config.momentum().floatValue();
        float wd = config.weightDecay().floatValue();
        float lr = (float) learningRate;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray w = e.getValue().getArray();
            NDArray grad = w.getGradient();
            NDArray g = wd == 0 ? grad : grad.add(Scalars.mul(w, wd));
            NDArray buf = momentum.get(e.getKey());
            NDArray update;
            if (mu == 0) {
                update = g;
            } else {
                buf.muli(Scalars.of(buf, mu)).addi(g);
                update = config.nesterov() ? g.add(Scalars.mul(buf, mu)) : buf;
            }
            w.subi(Scalars.mul(update, lr));
            grad.subi(grad);
        }
    }

    /** Momentum buffers by parameter name, for checkpoints. */
    public Map<String, NDArray> state() {
        return momentum;
    }

    public void loadState(Map<String, NDArray> saved) {
        for (Map.Entry<String, NDArray> e : momentum.entrySet()) {
            NDArray value = saved.get(e.getKey());
            if (value == null) {
                throw new IllegalArgumentException("checkpoint lacks momentum of '" + e.getKey() + "'");
            }
            if (!value.getShape().equals(e.getValue().getShape())) {
                throw new SafeTensorsException("checkpoint: momentum of '" + e.getKey() + "' has shape "
                        + value.getShape() + ", the parameter " + e.getValue().getShape());
            }
            SafeTensors.requireSameKind(
                    "checkpoint",
                    "momentum of " + e.getKey(),
                    value,
                    e.getValue().getDataType());
            ArrayCopy.into(value.toType(e.getValue().getDataType(), false), e.getValue());
        }
    }
}
