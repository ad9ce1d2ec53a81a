package io.tlsagent.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The agent keeps its layers; and the same rules do fail on a fixture that breaks each one. */
class LayersTest {

    @Test
    void theAgentKeepsItsLayers() {
        JavaClasses agent = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tlsagent");
        assertThat(agent.size()).isGreaterThan(100);
        for (ArchRule rule : Layers.of("io.tlsagent")) {
            rule.check(agent);
        }
    }

    @Test
    void eachRuleFailsOnAFixtureThatBreaksIt() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.tlsagent.layers.fixture");
        assertThat(fixture.size()).isGreaterThanOrEqualTo(6);
        for (ArchRule rule : Layers.of("io.tlsagent.layers.fixture")) {
            assertThatThrownBy(() -> rule.check(fixture)).as(rule.getDescription()).isInstanceOf(AssertionError.class);
        }
    }
}
