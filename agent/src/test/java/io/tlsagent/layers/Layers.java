package io.tlsagent.layers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The agent's layering as rules over a root package, so that the same rules check the agent ({@code io.tlsagent})
 * and a fixture that breaks each of them ({@link LayersTest}). See docs/architecture.md.
 */
final class Layers {

    private Layers() {}

    static List<ArchRule> of(String root) {
        String record = root + ".record..";
        String capture = root + ".capture..";
        String export = root + ".export..";
        String instrumentation = root + ".instrumentation..";
        String cli = root + ".cli..";
        return List.of(
                classes().that().resideInAPackage(record)
                        .should().onlyDependOnClassesThat().resideInAnyPackage(record, "java..")
                        .as("record holds plain values that depend on nothing but the JDK"),
                noClasses().that().resideInAPackage(capture)
                        .should().dependOnClassesThat().resideInAPackage(export)
                        .as("capture never imports an exporter"),
                noClasses().that().resideInAPackage(export)
                        .should().dependOnClassesThat().resideInAnyPackage(instrumentation, capture)
                        .as("exporters never import the instrumentation or the capture"),
                noClasses().that().resideOutsideOfPackage(cli)
                        .should().dependOnClassesThat().resideInAPackage(cli)
                        .as("the runtime never imports the command-line tools"),
                slices().matching(root + ".(**)").should().beFreeOfCycles()
                        .as("no package cycles"));
    }
}
