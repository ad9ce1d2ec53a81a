package io.tlsagent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tlsagent.config.AgentConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's Kubernetes examples parse, use only documented fields, and fit together: the agent is loaded from
 * where the init container copies it, its variables are the agent's keys, and the deployment asks for the
 * OpenTelemetry Operator's injection by the name of the {@code Instrumentation}.
 */
class KubernetesExampleTest {

    /**
     * The fields the examples may use, as documented: the Kubernetes API reference (apps/v1 Deployment,
     * DeploymentSpec, PodTemplateSpec, PodSpec, Container, EnvVar, VolumeMount, Volume) and the OpenTelemetry
     * Operator's Instrumentation (opentelemetry.io/v1alpha1, apis/v1alpha1/instrumentation_types.go). Maps of free
     * keys (labels, annotations, matchLabels, resourceAttributes) end a path.
     */
    static final Set<String> DEPLOYMENT = Set.of("apiVersion", "kind", "metadata.name", "metadata.namespace",
            "metadata.labels", "metadata.annotations", "spec.replicas", "spec.selector.matchLabels",
            "spec.template.metadata.labels", "spec.template.metadata.annotations",
            "spec.template.spec.initContainers[]", "spec.template.spec.containers[]",
            "spec.template.spec.volumes[].name", "spec.template.spec.volumes[].emptyDir");
    static final Set<String> CONTAINER = Set.of("name", "image", "command", "args", "env[].name", "env[].value",
            "volumeMounts[].name", "volumeMounts[].mountPath", "volumeMounts[].readOnly");
    static final Set<String> INSTRUMENTATION = Set.of("apiVersion", "kind", "metadata.name", "metadata.namespace",
            "spec.exporter.endpoint", "spec.resource.resourceAttributes", "spec.propagators", "spec.sampler.type",
            "spec.sampler.argument", "spec.env[].name", "spec.env[].value", "spec.java.image",
            "spec.java.env[].name", "spec.java.env[].value", "spec.java.extensions[].image",
            "spec.java.extensions[].dir");
    static final Set<String> FREE_MAPS = Set.of("labels", "annotations", "matchLabels", "resourceAttributes",
            "emptyDir");

    static List<JsonNode> documents() throws Exception {
        String readme = new String(Files.readAllBytes(Paths.get("..", "README.md")), StandardCharsets.UTF_8);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        int at = 0;
        while ((at = readme.indexOf("```yaml\n", at)) >= 0) {
            int end = readme.indexOf("\n```", at);
            String block = readme.substring(at + 8, end);
            yaml.readerFor(JsonNode.class).readValues(block).readAll().forEach(d -> docs.add((JsonNode) d));
            at = end;
        }
        return docs;
    }

    @Test
    void theExamplesParseAndUseOnlyDocumentedFields() throws Exception {
        List<JsonNode> docs = documents();
        assertThat(docs.stream().map(d -> d.path("kind").asText())).containsExactly("Deployment", "Instrumentation",
                "Deployment");
        for (JsonNode d : docs) {
            Set<String> paths = new TreeSet<>();
            paths(d, "", paths);
            if (d.path("kind").asText().equals("Instrumentation")) {
                assertThat(d.path("apiVersion").asText()).isEqualTo("opentelemetry.io/v1alpha1");
                assertThat(paths).isSubsetOf(INSTRUMENTATION);
                continue;
            }
            assertThat(d.path("apiVersion").asText()).isEqualTo("apps/v1");
            Set<String> podLevel = paths.stream().map(p -> p.replaceAll("(Containers|containers)\\[\\]\\..*",
                    "$1[]")).collect(Collectors.toCollection(TreeSet::new));
            assertThat(podLevel).isSubsetOf(DEPLOYMENT);
            for (JsonNode c : containers(d)) {
                Set<String> fields = new TreeSet<>();
                paths(c, "", fields);
                assertThat(fields).as(c.toString()).isSubsetOf(CONTAINER).contains("name", "image");
            }
            JsonNode selector = d.path("spec").path("selector").path("matchLabels");
            selector.fields().forEachRemaining(e -> assertThat(d.path("spec").path("template").path("metadata")
                    .path("labels").path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
        }
    }

    @Test
    void javaToolOptionsLoadsTheJarTheInitContainerCopied() throws Exception {
        JsonNode d = documents().get(0);
        JsonNode spec = d.path("spec").path("template").path("spec");
        JsonNode app = spec.path("containers").get(0);
        String options = env(app, "JAVA_TOOL_OPTIONS");
        assertThat(options).startsWith("-javaagent:");
        String jar = options.substring("-javaagent:".length()).split("[ =]")[0];
        JsonNode init = spec.path("initContainers").get(0);
        List<String> command = new ArrayList<>();
        init.path("command").forEach(c -> command.add(c.asText()));
        assertThat(command.get(0)).isEqualTo("cp");
        assertThat(command.get(command.size() - 1)).isEqualTo(jar);
        String volume = mountOf(init, jar);
        assertThat(mountOf(app, jar)).as("the application sees the same volume").isEqualTo(volume);
        assertThat(spec.path("volumes").findValues("name").stream().map(JsonNode::asText)).contains(volume);
        // Every TLSAGENT_ variable is one of the agent's keys.
        Set<String> keys = Arrays.stream(AgentConfig.Key.values()).map(k -> k.key()).collect(Collectors.toSet());
        app.path("env").forEach(e -> {
            String name = e.path("name").asText();
            if (name.startsWith("TLSAGENT_")) {
                assertThat(keys).contains(name.substring(9).toLowerCase(Locale.ROOT));
            }
        });
        assertThat(env(app, "TLSAGENT_OTLP_ENDPOINT")).startsWith("http://").endsWith(":4318");
    }

    @Test
    void theDeploymentAsksTheOperatorForTheInstrumentationWithTheExtension() throws Exception {
        List<JsonNode> docs = documents();
        JsonNode instrumentation = docs.get(1);
        JsonNode deployment = docs.get(2);
        assertThat(deployment.path("spec").path("template").path("metadata").path("annotations")
                .path("instrumentation.opentelemetry.io/inject-java").asText())
                .isEqualTo(instrumentation.path("metadata").path("name").asText());
        JsonNode extension = instrumentation.path("spec").path("java").path("extensions").get(0);
        assertThat(extension.path("dir").asText()).startsWith("/");
        assertThat(extension.path("image").asText()).contains("tls-agent-otel-extension");
    }

    private static List<JsonNode> containers(JsonNode deployment) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode spec = deployment.path("spec").path("template").path("spec");
        spec.path("initContainers").forEach(out::add);
        spec.path("containers").forEach(out::add);
        return out;
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no " + name + " in " + container);
    }

    /** The volume mounted in {@code container} at a folder that holds {@code file}. */
    private static String mountOf(JsonNode container, String file) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (file.startsWith(m.path("mountPath").asText() + "/")) {
                return m.path("name").asText();
            }
        }
        throw new AssertionError("no volume holds " + file + " in " + container);
    }

    /** Every leaf's path: object keys joined by dots, {@code []} for a list's elements. */
    private static void paths(JsonNode node, String prefix, Set<String> out) {
        if (node.isObject() && !FREE_MAPS.contains(last(prefix))) {
            node.fields().forEachRemaining(e -> paths(e.getValue(),
                    prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out));
        } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
            node.forEach(e -> paths(e, prefix + "[]", out));
        } else {
            out.add(prefix);
        }
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
