package dev.hkd.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hkd.training.methods.DistillerRegistry;
import dev.hkd.training.methods.MethodSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration gives one line naming the file, the line and the key, and what would be valid. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("run.yaml"), yaml);
        return f;
    }

    /** The message of the {@link ConfigException} that {@code read} throws, after checking that it is one line. */
    private static String refusal(Executable read) {
        String message = assertThrows(ConfigException.class, read).getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void readsAValidConfigWithReferenceDefaults() throws Exception {
        RunConfig c = ConfigLoader.loadRun(write("""
                seed: 3
                student: {model: fmnist_cnn}
                teacher: {model: fmnist_resnet}
                method: {name: kd}
                training:
                  schedule: {epochs: 2, milestones: [1]}
                """));
        assertEquals(3L, c.seed());
        assertEquals(0.05, c.training().optimizer().lr());
        assertEquals(5e-4, c.training().optimizer().weightDecay());
        assertEquals(64, c.training().batchSize());
    }

    @Test
    void aTeacherIsRequiredExactlyWhenTheMethodReadsOne() throws Exception {
        Path kd = write("""
                seed: 3
                student: {model: fmnist_cnn}
                method: {name: kd}
                """);
        String m = refusal(() -> MethodSet.forRun(ConfigLoader.loadRun(kd), DistillerRegistry.fromClasspath(), kd));
        assertTrue(m.startsWith(kd + ":3: method.name: 'kd' reads a teacher, so 'teacher:' is required"), m);
        Path tfkd = write("""
                seed: 3
                student: {model: fmnist_cnn}
                method: {name: tfkd-reg}
                """);
        assertFalse(MethodSet.forRun(ConfigLoader.loadRun(tfkd), DistillerRegistry.fromClasspath(), tfkd)
                .needsTeacher());
    }

    @Test
    void anUnknownKeyNamesFileLineKeyAndTheValidKeys() throws Exception {
        Path f = write("""
                seed: 3
                student: {model: fmnist_cnn}
                training:
                  optimizer:
                    lr: 0.1
                    momentun: 0.9
                """);
        String m = refusal(() -> ConfigLoader.loadRun(f));
        assertTrue(m.startsWith(f + ":6:"), m);
        assertTrue(m.contains("training.optimizer.momentun"), m);
        assertTrue(m.contains("momentum") && m.contains("weight_decay"), m);
    }

    @Test
    void aWrongTypeNamesTheKeyAndTheExpectedType() throws Exception {
        Path f = write("""
                student: {model: fmnist_cnn}
                training:
                  batch_size: lots
                """);
        String m = refusal(() -> ConfigLoader.loadRun(f));
        assertTrue(m.startsWith(f + ":3:"), m);
        assertTrue(m.contains("training.batch_size") && m.contains("integer"), m);
    }

    @Test
    void anInvalidValueNamesTheKeyAndTheRule() throws Exception {
        Path f = write("""
                student: {model: fmnist_cnn}
                training:
                  optimizer: {lr: -1}
                """);
        String m = refusal(() -> ConfigLoader.loadRun(f));
        assertTrue(m.contains(f.toString()) && m.contains("lr: must be > 0"), m);
    }

    @Test
    void brokenYamlIsOneLineWithItsLine() throws Exception {
        Path f = write("student: {model: fmnist_cnn\nseed: [\n");
        String m = refusal(() -> ConfigLoader.loadRun(f));
        assertTrue(m.matches("^" + java.util.regex.Pattern.quote(f.toString()) + ":\\d+: .*"), m);
    }

    @Test
    void methodErrorsNameTheLineOfTheOffendingKey() throws Exception {
        Path f = write("""
                student: {model: fmnist_cnn}
                teacher: {model: fmnist_resnet}
                method:
                  name: kd
                  options:
                    kd:
                      temprature: 2
                """);
        RunConfig c = ConfigLoader.loadRun(f);
        String m = refusal(() -> MethodSet.build(c.method(), DistillerRegistry.fromClasspath(), f));
        assertTrue(m.startsWith(f + ":7:"), m);
        assertTrue(m.contains("temprature") && m.contains("temperature"), m);
    }

    @Test
    void unknownMethodsNegativeWeightsAndBadOptionValuesAreRejected() throws Exception {
        DistillerRegistry registry = DistillerRegistry.fromClasspath();
        ConfigException unknown = assertThrows(
                ConfigException.class, () -> MethodSet.build(new MethodConfig("nope+kd", null, null), registry, null));
        assertTrue(
                unknown.getMessage().contains("unknown method 'nope'")
                        && unknown.getMessage().contains("kd"),
                unknown.getMessage());
        Path f = write("""
                student: {model: fmnist_cnn}
                teacher: {model: fmnist_resnet}
                method: {name: kd, weights: {kd: -1}}
                """);
        ConfigException negative = assertThrows(ConfigException.class, () -> ConfigLoader.loadRun(f));
        assertTrue(negative.getMessage().contains("weights.kd: must be >= 0"), negative.getMessage());
        Path g = write("""
                student: {model: fmnist_cnn}
                teacher: {model: fmnist_resnet}
                method: {name: kd, options: {kd: {temperature: hot}}}
                """);
        RunConfig c = ConfigLoader.loadRun(g);
        ConfigException type = assertThrows(ConfigException.class, () -> MethodSet.build(c.method(), registry, g));
        assertTrue(
                type.getMessage().contains("temperature") && type.getMessage().contains(":3:"), type.getMessage());
        Path h = write("""
                student: {model: fmnist_cnn}
                teacher: {model: fmnist_resnet}
                method: {name: kd, options: {kd: {temperature: 0}}}
                """);
        RunConfig ch = ConfigLoader.loadRun(h);
        ConfigException value = assertThrows(ConfigException.class, () -> MethodSet.build(ch.method(), registry, h));
        // The provider's typed OptionException names the key; the framework finds its line.
        assertTrue(
                value.getMessage().startsWith(h + ":3: method.options.kd.temperature: must be > 0"),
                value.getMessage());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "dkd | alpha: -1 | alpha: must be >= 0",
                "dkd | beta: -1 | beta: must be >= 0",
                "dkd | temperature: 0 | temperature: must be > 0",
                "dkd | warmup_epochs: -2 | warmup_epochs: must be >= 0",
                "dkd | logit_standardization: maybe | logit_standardization",
                "dist | beta: -1 | beta: must be >= 0",
                "dist | gamma: -0.5 | gamma: must be >= 0",
                "dist | temperature: 0 | temperature: must be > 0",
                "kd | logit_standardization: 3x | logit_standardization"
            })
    void aBadOptionOfTheModernLogitMethodsIsOneLineNamingIt(String method, String option, String said)
            throws Exception {
        Path f = write("""
                student: {model: fmnist_cnn}
                teacher: {model: fmnist_resnet}
                method: {name: %s, options: {%s: {%s}}}
                """.formatted(method, method, option));
        RunConfig c = ConfigLoader.loadRun(f);
        ConfigException e = assertThrows(
                ConfigException.class, () -> MethodSet.build(c.method(), DistillerRegistry.fromClasspath(), f));
        assertTrue(e.getMessage().contains(f + ":3:") && e.getMessage().contains(said), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void overridesFromTheCommandLineAreLaidOverTheFile() throws Exception {
        Path f = write("""
                student: {model: fmnist_cnn}
                teacher: {model: fmnist_resnet}
                method: {name: kd}
                """);
        RunConfig c = ConfigLoader.loadRun(
                f, java.util.List.of("method.name=crd+kd", "training.schedule.milestones=[5, 8]", "seed=9"));
        assertEquals("crd+kd", c.method().name());
        assertEquals(java.util.List.of(5, 8), c.training().schedule().milestones());
        assertEquals(9L, c.seed());
        String m = refusal(() -> ConfigLoader.loadRun(f, java.util.List.of("training.optimizer.lrr=0.1")));
        assertTrue(m.contains("--set training.optimizer.lrr=0.1") && m.contains("unknown key"), m);
    }

    @Test
    void referenceWeightsApplyWhereNoneAreGiven() {
        DistillerRegistry registry = DistillerRegistry.fromClasspath();
        MethodSet kd = MethodSet.build(new MethodConfig("kd", null, null), registry, null);
        assertEquals(0.1, kd.ceWeight());
        assertEquals(0.9, kd.components().get(0).weight());
        MethodSet custom =
                MethodSet.build(new MethodConfig("kd", java.util.Map.of("ce", 1.0, "kd", 1.0), null), registry, null);
        assertEquals(1.0, custom.ceWeight());
        assertEquals(1.0, custom.components().get(0).weight());
    }

    @Test
    void sskdAloneHasItsReferenceGammaAndRefusesCompanions() {
        DistillerRegistry registry = DistillerRegistry.fromClasspath();
        MethodSet sskd = MethodSet.build(new MethodConfig("sskd", null, null), registry, null);
        assertEquals(0.1, sskd.ceWeight(), "SSKD's λ_ce");
        assertEquals(1.0, sskd.components().get(0).weight());
        assertTrue(sskd.dataNeeds().rotatedViews());
        assertEquals(1, sskd.initStages().size());
        assertEquals(60, sskd.initStages().get(0).epochs());
        String m = refusal(() -> MethodSet.build(new MethodConfig("sskd+kd", null, null), registry, null));
        assertTrue(m.contains("runs alone") && m.contains("contains KD"), m);
    }
}
