package dev.hkd.training.methods;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hkd.api.DistillerProvider;
import dev.hkd.api.OptionBounds;
import dev.hkd.training.config.ConfigLoader;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every shipped method's options are a record whose declared bounds its own defaults meet, and
 * whose components the bounds check names as the config binder spells them, so that a refused
 * value points at the key the user wrote.
 */
class MethodOptionsTest {

    private final List<DistillerProvider<?>> providers =
            DistillerRegistry.fromClasspath().providers();

    @Test
    void theMethodsOfBothMethodJarsAreFound() {
        List<String> ids = providers.stream().map(DistillerProvider::id).toList();
        assertTrue(ids.containsAll(List.of("hkd", "kd", "crd", "reviewkd", "sskd", "dist")), ids.toString());
    }

    @Test
    void everyMethodsDefaultsMeetItsBoundsAndItsRules() {
        for (DistillerProvider<?> provider : providers) {
            assertDoesNotThrow(() -> OptionBounds.check(provider.defaultConfig()), provider.id());
            assertDoesNotThrow(() -> validateDefaults(provider), provider.id());
        }
    }

    @Test
    void theBoundsCheckNamesEveryOptionAsTheBinderSpellsIt() {
        for (DistillerProvider<?> provider : providers) {
            Class<?> type = provider.configType();
            assertTrue(type.isRecord(), provider.id() + ": options must be a record, got " + type);
            JsonNode bound = ConfigLoader.mapper().valueToTree(provider.defaultConfig());
            List<String> binder = new ArrayList<>();
            bound.fieldNames().forEachRemaining(binder::add);
            List<String> bounds = new ArrayList<>();
            for (RecordComponent c : type.getRecordComponents()) {
                bounds.add(OptionBounds.yamlKey(c.getName()));
            }
            assertEquals(
                    binder.stream().sorted().toList(), bounds.stream().sorted().toList(), provider.id());
        }
    }

    private static <C> void validateDefaults(DistillerProvider<C> provider) {
        provider.validate(provider.defaultConfig());
    }
}
