package dev.hkd.training.methods;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hkd.api.DataNeeds;
import dev.hkd.api.DistillationStep;
import dev.hkd.api.Distiller;
import dev.hkd.api.DistillerProvider;
import dev.hkd.api.DistillerSetup;
import dev.hkd.api.LossTerms;
import dev.hkd.api.ModelNeeds;
import dev.hkd.api.OptionBounds;
import dev.hkd.api.OptionException;
import dev.hkd.api.Scalars;
import dev.hkd.training.config.ConfigException;
import dev.hkd.training.config.ConfigLoader;
import dev.hkd.training.config.MethodConfig;
import dev.hkd.training.config.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The loss recipe of docs/methods.md#recipe, {@code γ·CE + Σ w_m · (terms of method m)}, with each
 * method behind the SPI. Reference weights apply where the config gives none: KD alone is
 * γ = 0.1, α = 0.9; another method alone has its provider's γ (1 unless it says otherwise, SSKD
 * 0.1); in any combination γ = 1, KD's α = 1, and other methods their provider's β.
 */
public final class MethodSet {

    /** One distiller and its weight. */
    public record Component(String id, double weight, Distiller distiller) {}

    /** The weighted total and every term, named {@code ce}, {@code <id>} or {@code <id>.<term>}. */
    public record StepLoss(NDArray total, Map<String, NDArray> terms) {}

    private final String name;
    private final double ceWeight;
    private final List<Component> components;

    private MethodSet(String name, double ceWeight, List<Component> components) {
        this.name = name;
        this.ceWeight = ceWeight;
        this.components = List.copyOf(components);
    }

    /**
     * Builds the method of a run config. {@code source} (may be null) is the YAML file, for error
     * messages that name its line.
     */
    public static MethodSet build(MethodConfig config, DistillerRegistry registry, Path source) {
        List<String> ids = config.components();
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw error(
                        source,
                        List.of("method", "name"),
                        "method '" + id + "' appears twice in '" + config.name() + "'");
            }
        }
        Set<String> allowedWeights = new HashSet<>(ids);
        allowedWeights.add("ce");
        for (String key : config.weights().keySet()) {
            if (!allowedWeights.contains(key)) {
                throw error(
                        source,
                        List.of("method", "weights", key),
                        "weight for '" + key + "', which is not part of method '" + config.name() + "'; valid keys: "
                                + String.join(", ", allowedWeights));
            }
        }
        for (String key : config.options().keySet()) {
            if (!seen.contains(key)) {
                throw error(
                        source,
                        List.of("method", "options", key),
                        "options for '" + key + "', which is not part of method '" + config.name() + "'");
            }
        }
        boolean alone = ids.size() == 1;
        double referenceCe = 1.0;
        List<Component> components = new ArrayList<>();
        for (String id : ids) {
            DistillerProvider<?> provider;
            try {
                provider = registry.get(id);
            } catch (ConfigException e) {
                throw error(source, List.of("method", "name"), e.getMessage());
            }
            double reference = alone ? provider.weightsAlone().method() : provider.referenceWeight();
            double weight = config.weights().getOrDefault(id, reference);
            components.add(
                    new Component(id, weight, create(provider, config.options().get(id), source)));
            if (alone) {
                referenceCe = provider.weightsAlone().crossEntropy();
            }
        }
        if (components.size() > 1
                && components.stream().anyMatch(c -> c.distiller().dataNeeds().rotatedViews())) {
            throw error(
                    source,
                    List.of("method", "name"),
                    "'" + config.name() + "': a method that trains on four rotated views"
                            + " of every image (sskd) runs alone; SSKD already contains KD (HKD's 'SSKD+KD' row is SSKD's default run)");
        }
        double ce = config.weights().getOrDefault("ce", referenceCe);
        return new MethodSet(config.name(), ce, components);
    }

    /**
     * The method of a run, which must name a teacher if the method reads one ({@link #needsTeacher}):
     * a missing {@code teacher} is a one-line error at {@code method.name}.
     */
    public static MethodSet forRun(RunConfig run, DistillerRegistry registry, Path source) {
        MethodSet method = build(run.method(), registry, source);
        if (run.teacher() == null && method.needsTeacher()) {
            throw error(
                    source,
                    List.of("method", "name"),
                    "'" + run.method().name() + "' reads a teacher, so 'teacher:' is"
                            + " required (e.g. teacher: {model: resnet32x4, checkpoint: …}); only vanilla and teacher-free"
                            + " methods (tfkd-reg) run without one");
        }
        return method;
    }

    private static <C> Distiller create(DistillerProvider<C> provider, JsonNode userOptions, Path source) {
        C options = bindOptions(provider, userOptions, source);
        try {
            provider.validate(options);
        } catch (OptionException e) {
            throw error(source, List.of("method", "options", provider.id(), e.key()), e.detail());
        } catch (IllegalArgumentException e) {
            // A provider that does not name the key: the error points at the method's options.
            throw error(
                    source,
                    List.of("method", "options", provider.id()),
                    "method '" + provider.id() + "': " + e.getMessage());
        }
        return provider.create(options);
    }

    /**
     * The provider's defaults with the user's keys laid over them; unknown keys and values outside
     * the options' declared bounds ({@link OptionBounds}) are errors.
     */
    public static <C> C bindOptions(DistillerProvider<C> provider, JsonNode userOptions, Path source) {
        ObjectMapper mapper = ConfigLoader.mapper();
        ObjectNode tree = mapper.valueToTree(provider.defaultConfig());
        List<String> where = List.of("method", "options", provider.id());
        if (userOptions != null && !userOptions.isNull()) {
            if (!userOptions.isObject()) {
                throw error(source, where, "options of '" + provider.id() + "' must be a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = userOptions.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!tree.has(e.getKey())) {
                    List<String> valid = new ArrayList<>();
                    tree.fieldNames().forEachRemaining(valid::add);
                    throw error(
                            source,
                            List.of("method", "options", provider.id(), e.getKey()),
                            "unknown option '" + e.getKey() + "' of method '" + provider.id() + "'; valid keys: "
                                    + (valid.isEmpty() ? "(none)" : String.join(", ", valid)));
                }
                tree.set(e.getKey(), e.getValue());
            }
        }
        C options;
        try {
            options = mapper.treeToValue(tree, provider.configType());
        } catch (JsonProcessingException e) {
            ConfigLoader.Problem problem = ConfigLoader.problem(e);
            List<String> keys = new ArrayList<>(where);
            keys.addAll(problem.keys());
            throw error(source, keys, problem.text());
        }
        try {
            OptionBounds.check(options);
        } catch (OptionException e) {
            throw error(source, List.of("method", "options", provider.id(), e.key()), e.detail());
        }
        return options;
    }

    private static ConfigException error(Path source, List<String> keys, String message) {
        return ConfigException.at(source, keys, message);
    }

    public String name() {
        return name;
    }

    public double ceWeight() {
        return ceWeight;
    }

    public List<Component> components() {
        return components;
    }

    /**
     * Whether a teacher must be trained, loaded and run: false for vanilla and for methods that
     * teach without one ({@link ModelNeeds#NONE}, Tf-KD), so that their runs neither wait for a
     * teacher nor pay for its forward passes.
     */
    public boolean needsTeacher() {
        return modelNeeds().teacher();
    }

    public DataNeeds dataNeeds() {
        DataNeeds needs = DataNeeds.NOTHING;
        for (Component c : components) {
            needs = needs.merge(c.distiller().dataNeeds());
        }
        return needs;
    }

    public ModelNeeds modelNeeds() {
        ModelNeeds needs = ModelNeeds.NONE;
        for (Component c : components) {
            needs = needs.merge(c.distiller().modelNeeds());
        }
        return needs;
    }

    /** The methods' init stages (SSKD's teacher head, RepDistiller's init of AB, FT, FSP), in order. */
    public List<dev.hkd.api.InitStage> initStages() {
        List<dev.hkd.api.InitStage> stages = new ArrayList<>();
        for (Component c : components) {
            if (c.distiller().initStage() != null) {
                stages.add(c.distiller().initStage());
            }
        }
        return stages;
    }

    public void prepare(DistillerSetup setup) {
        for (Component c : components) {
            c.distiller().prepare(setup);
        }
    }

    /** All modules the methods add, named {@code <id>.<module>}. */
    public Map<String, Block> trainableModules() {
        Map<String, Block> modules = new LinkedHashMap<>();
        for (Component c : components) {
            c.distiller().trainableModules().forEach((k, v) -> modules.put(c.id() + "." + k, v));
        }
        return modules;
    }

    /** All non-trained state, named {@code <id>.<buffer>}. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (Component c : components) {
            c.distiller().state().forEach((k, v) -> state.put(c.id() + "." + k, v));
        }
        return state;
    }

    public void loadState(Map<String, NDArray> saved) {
        for (Component c : components) {
            String prefix = c.id() + ".";
            Map<String, NDArray> mine = new LinkedHashMap<>();
            saved.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    mine.put(k.substring(prefix.length()), v);
                }
            });
            c.distiller().loadState(mine);
        }
    }

    public StepLoss loss(NDArray crossEntropy, DistillationStep step) {
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put("ce", crossEntropy);
        NDArray total = Scalars.mul(crossEntropy, ceWeight);
        for (Component c : components) {
            LossTerms lt = c.distiller().loss(step);
            Map<String, NDArray> named = lt.terms();
            for (Map.Entry<String, NDArray> e : named.entrySet()) {
                String key = named.size() == 1 && e.getKey().equals(c.id()) ? c.id() : c.id() + "." + e.getKey();
                terms.put(key, e.getValue());
            }
            total = total.add(Scalars.mul(lt.sum(), c.weight()));
        }
        return new StepLoss(total, terms);
    }

    public void updateState() {
        for (Component c : components) {
            c.distiller().updateState();
        }
    }

    /** {@code ce=0.1 kd=0.9}, for logs. */
    public String describeWeights() {
        StringBuilder sb = new StringBuilder("ce=" + ceWeight);
        for (Component c : components) {
            sb.append(' ').append(c.id()).append('=').append(c.weight());
        }
        return sb.toString();
    }
}
