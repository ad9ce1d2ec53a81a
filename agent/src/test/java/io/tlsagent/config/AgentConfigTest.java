package io.tlsagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentConfigTest {

    private static final String KEY_LIST = "enabled, port, host, log, service_name";

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static AgentConfig args(String agentArgs) throws ConfigException {
        return AgentConfig.load(agentArgs, new Properties(), Map.of());
    }

    // ---- defaults ----

    @Test
    void defaultsWhenNothingIsGiven() throws Exception {
        AgentConfig c = AgentConfig.load(null, new Properties(), Map.of());

        assertThat(c.enabled()).isTrue();
        assertThat(c.port()).isEqualTo(9464);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.logTarget()).isEqualTo(AgentConfig.LogTarget.STDOUT);
        assertThat(c.logPath()).isNull();
        assertThat(c.serviceName()).as("no sun.java.command given").isEqualTo("java");
    }

    @Test
    void blankAgentArgsMeanDefaults() throws Exception {
        AgentConfig c = AgentConfig.load("   ", new Properties(), Map.of());

        assertThat(c.port()).isEqualTo(9464);
        assertThat(c.enabled()).isTrue();
    }

    @Test
    void keyDefaultsMatchTheDocumentedValues() {
        assertThat(AgentConfig.Key.ENABLED.defaultValue()).isEqualTo("true");
        assertThat(AgentConfig.Key.PORT.defaultValue()).isEqualTo("9464");
        assertThat(AgentConfig.Key.HOST.defaultValue()).isEqualTo("0.0.0.0");
        assertThat(AgentConfig.Key.LOG.defaultValue()).isEqualTo("stdout");
        assertThat(AgentConfig.Key.SERVICE_NAME.defaultValue()).isEmpty();
        assertThat(AgentConfig.Key.JFR.defaultValue()).isEqualTo("true");
        assertThat(AgentConfig.Key.METRICS.defaultValue()).isEqualTo("agent");
        for (AgentConfig.Key k : AgentConfig.Key.values()) {
            assertThat(k.key()).isEqualTo(k.name().toLowerCase(java.util.Locale.ROOT));
            assertThat(k.accepts()).isNotBlank();
        }
    }

    @Test
    void jfrCanBeSwitchedOff() throws Exception {
        assertThat(AgentConfig.load(null, new Properties(), Map.of()).jfr()).isTrue();
        assertThat(AgentConfig.load("jfr=false", new Properties(), Map.of()).jfr()).isFalse();
        assertThat(AgentConfig.load(null, new Properties(), Map.of("TLSAGENT_JFR", "false")).jfr()).isFalse();
        assertThatThrownBy(() -> AgentConfig.load("jfr=maybe", new Properties(), Map.of()))
                .hasMessageContaining("jfr");
    }

    @Test
    void metricsGoToTheAgentTheApplicationOrBoth() throws Exception {
        assertThat(AgentConfig.load(null, new Properties(), Map.of()).metrics())
                .isEqualTo(AgentConfig.MetricsTarget.AGENT);
        AgentConfig app = AgentConfig.load("metrics=app", new Properties(), Map.of());
        assertThat(app.metrics()).isEqualTo(AgentConfig.MetricsTarget.APP);
        assertThat(app.metrics().agentEndpoint()).isFalse();
        assertThat(app.metrics().app()).isTrue();
        AgentConfig both = AgentConfig.load(null, props("tlsagent.metrics", "both"), Map.of());
        assertThat(both.metrics().agentEndpoint()).isTrue();
        assertThat(both.metrics().app()).isTrue();
        assertThat(AgentConfig.load(null, new Properties(), Map.of("TLSAGENT_METRICS", "app")).metrics())
                .isEqualTo(AgentConfig.MetricsTarget.APP);
        assertThat(AgentConfig.MetricsTarget.AGENT.app()).isFalse();
        assertThatThrownBy(() -> AgentConfig.load("metrics=actuator", new Properties(), Map.of()))
                .hasMessage("invalid value 'actuator' for metrics (agent argument): expected "
                        + AgentConfig.Key.METRICS.accepts());
        assertThatThrownBy(() -> AgentConfig.load("metrics=APP", new Properties(), Map.of()))
                .hasMessageContaining("for metrics");
    }

    @Test
    void unrelatedSystemPropertiesAndEnvironmentVariablesAreIgnored() throws Exception {
        AgentConfig c = AgentConfig.load(null, props("user.home", "/root", "tlsagentport", "1", "port", "2"),
                env("PATH", "/bin", "PORT", "3", "TLSAGENTPORT", "4"));

        assertThat(c.port()).isEqualTo(9464);
    }

    // ---- precedence ----

    @Test
    void environmentOverridesDefaults() throws Exception {
        AgentConfig c = AgentConfig.load(null, new Properties(), env("TLSAGENT_PORT", "1001"));

        assertThat(c.port()).isEqualTo(1001);
    }

    @Test
    void systemPropertyOverridesEnvironment() throws Exception {
        AgentConfig c = AgentConfig.load(null, props("tlsagent.port", "2002"), env("TLSAGENT_PORT", "1001"));

        assertThat(c.port()).isEqualTo(2002);
    }

    @Test
    void agentArgumentOverridesSystemPropertyAndEnvironment() throws Exception {
        AgentConfig c = AgentConfig.load("port=3003", props("tlsagent.port", "2002"), env("TLSAGENT_PORT", "1001"));

        assertThat(c.port()).isEqualTo(3003);
    }

    @Test
    void precedenceIsPerKey() throws Exception {
        AgentConfig c = AgentConfig.load("port=3003",
                props("tlsagent.host", "10.0.0.2", "tlsagent.port", "2002"),
                env("TLSAGENT_PORT", "1001", "TLSAGENT_HOST", "10.0.0.1", "TLSAGENT_LOG", "stderr",
                        "TLSAGENT_ENABLED", "false"));

        assertThat(c.port()).isEqualTo(3003);
        assertThat(c.host()).isEqualTo("10.0.0.2");
        assertThat(c.logTarget()).isEqualTo(AgentConfig.LogTarget.STDERR);
        assertThat(c.enabled()).isFalse();
    }

    @Test
    void aValidHigherPrioritySourceHidesAnInvalidLowerOne() throws Exception {
        AgentConfig c = AgentConfig.load("port=80", props("tlsagent.port", "abc"), env("TLSAGENT_PORT", "xyz"));

        assertThat(c.port()).isEqualTo(80);
    }

    // ---- every key, from every source ----

    @Test
    void everyKeyFromAgentArguments() throws Exception {
        AgentConfig c = args("enabled=false, port=0 ,host=127.0.0.1,log=file:/tmp/x.log,service_name=orders");

        assertThat(c.enabled()).isFalse();
        assertThat(c.port()).isZero();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.logTarget()).isEqualTo(AgentConfig.LogTarget.FILE);
        assertThat(c.logPath()).isEqualTo("/tmp/x.log");
        assertThat(c.serviceName()).isEqualTo("orders");
    }

    @Test
    void everyKeyFromSystemProperties() throws Exception {
        AgentConfig c = AgentConfig.load(null, props("tlsagent.enabled", "false", "tlsagent.port", "65535",
                "tlsagent.host", "::1", "tlsagent.log", "off", "tlsagent.service_name", "billing"), Map.of());

        assertThat(c.enabled()).isFalse();
        assertThat(c.port()).isEqualTo(65535);
        assertThat(c.host()).isEqualTo("::1");
        assertThat(c.logTarget()).isEqualTo(AgentConfig.LogTarget.OFF);
        assertThat(c.serviceName()).isEqualTo("billing");
    }

    @Test
    void everyKeyFromEnvironment() throws Exception {
        AgentConfig c = AgentConfig.load(null, new Properties(), env("TLSAGENT_ENABLED", "FALSE",
                "TLSAGENT_PORT", "1", "TLSAGENT_HOST", "localhost", "TLSAGENT_LOG", "stderr",
                "TLSAGENT_SERVICE_NAME", "shipping"));

        assertThat(c.enabled()).isFalse();
        assertThat(c.port()).isEqualTo(1);
        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.logTarget()).isEqualTo(AgentConfig.LogTarget.STDERR);
        assertThat(c.serviceName()).isEqualTo("shipping");
    }

    @Test
    void enabledIsCaseInsensitive() throws Exception {
        assertThat(args("enabled=TRUE").enabled()).isTrue();
        assertThat(args("enabled=False").enabled()).isFalse();
    }

    @Test
    void logTargets() throws Exception {
        assertThat(args("log=stdout").logTarget()).isEqualTo(AgentConfig.LogTarget.STDOUT);
        assertThat(args("log=stderr").logTarget()).isEqualTo(AgentConfig.LogTarget.STDERR);
        assertThat(args("log=off").logTarget()).isEqualTo(AgentConfig.LogTarget.OFF);
        assertThat(args("log=stdout").logPath()).isNull();
    }

    @Test
    void logFileGivesFileTargetAndPath() throws Exception {
        AgentConfig c = args("log=file:/tmp/x.log");

        assertThat(c.logTarget()).isEqualTo(AgentConfig.LogTarget.FILE);
        assertThat(c.logPath()).isEqualTo("/tmp/x.log");
    }

    @Test
    void valueMayContainEqualsSign() throws Exception {
        AgentConfig c = args("log=file:/tmp/a=b.log");

        assertThat(c.logPath()).isEqualTo("/tmp/a=b.log");
    }

    @Test
    void portBoundaries() throws Exception {
        assertThat(args("port=0").port()).isZero();
        assertThat(args("port=65535").port()).isEqualTo(65535);
    }

    @Test
    void explicitServiceNameIsKept() throws Exception {
        assertThat(args("service_name=my-service.v2").serviceName()).isEqualTo("my-service.v2");
    }

    @Test
    void emptyServiceNameIsDerivedFromTheJavaCommand() throws Exception {
        Properties sys = new Properties();
        sys.setProperty("sun.java.command", "/opt/app/orders.jar --port 8443");
        AgentConfig c = AgentConfig.load("service_name=", sys, Map.of());

        assertThat(c.serviceName()).isEqualTo("orders");
    }

    // ---- errors ----

    @Test
    void unknownKeyInAgentArguments() {
        assertThatThrownBy(() -> args("colour=blue"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'colour'")
                .hasMessageContaining("agent argument")
                .hasMessageContaining(KEY_LIST);
    }

    @Test
    void unknownKeyInSystemProperties() {
        assertThatThrownBy(() -> AgentConfig.load(null, props("tlsagent.colour", "blue"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'colour'")
                .hasMessageContaining("-Dtlsagent.colour")
                .hasMessageContaining(KEY_LIST);
    }

    @Test
    void unknownKeyInEnvironment() {
        assertThatThrownBy(() -> AgentConfig.load(null, new Properties(), env("TLSAGENT_COLOUR", "blue")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'colour'")
                .hasMessageContaining("TLSAGENT_COLOUR")
                .hasMessageContaining(KEY_LIST);
    }

    @Test
    void nonNumericPort() {
        assertThatThrownBy(() -> args("port=abc"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'abc'")
                .hasMessageContaining("port")
                .hasMessageContaining(AgentConfig.Key.PORT.accepts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"70000", "65536", "-1", ""})
    void portOutOfRangeOrMalformedFromSystemProperty(String value) {
        assertThatThrownBy(() -> AgentConfig.load(null, props("tlsagent.port", value), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + value + "'")
                .hasMessageContaining("for port")
                .hasMessageContaining("-Dtlsagent.port")
                .hasMessageContaining("0-65535");
    }

    @Test
    void portOutOfRange() {
        assertThatThrownBy(() -> args("port=70000"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'70000'")
                .hasMessageContaining("for port")
                .hasMessageContaining("0-65535");
    }

    @Test
    void bogusLogTarget() {
        assertThatThrownBy(() -> args("log=bogus"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'bogus'")
                .hasMessageContaining("for log")
                .hasMessageContaining(AgentConfig.Key.LOG.accepts());
    }

    @Test
    void logDetailIsSummaryUnlessFullIsAsked() throws Exception {
        AgentConfig defaults = AgentConfig.load(null, new Properties(), Map.of());
        assertThat(defaults.logDetail()).isEqualTo(AgentConfig.LogDetail.SUMMARY);
        assertThat(defaults.logFullEveryMillis()).isEqualTo(3_600_000L);
        assertThat(args("log_detail=full").logDetail()).isEqualTo(AgentConfig.LogDetail.FULL);
        assertThat(args("log_detail=summary").logDetail()).isEqualTo(AgentConfig.LogDetail.SUMMARY);
        assertThat(AgentConfig.load(null, new Properties(), env("TLSAGENT_LOG_DETAIL", "full")).logDetail())
                .isEqualTo(AgentConfig.LogDetail.FULL);
        assertThat(AgentConfig.load(null, props("tlsagent.log_full_every", "5m"), Map.of()).logFullEveryMillis())
                .isEqualTo(300_000L);
        assertThatThrownBy(() -> args("log_detail=verbose"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'verbose'")
                .hasMessageContaining("for log_detail")
                .hasMessageContaining(AgentConfig.Key.LOG_DETAIL.accepts());
    }

    @Test
    void logFullEveryTakesADurationWithItsUnit() throws Exception {
        assertThat(args("log_full_every=90s").logFullEveryMillis()).isEqualTo(90_000L);
        assertThat(args("log_full_every=30m").logFullEveryMillis()).isEqualTo(1_800_000L);
        assertThat(args("log_full_every=2h").logFullEveryMillis()).isEqualTo(7_200_000L);
        assertThat(args("log_full_every=7d").logFullEveryMillis()).isEqualTo(7 * 86_400_000L);
        assertThat(args("log_full_every=1s").logFullEveryMillis()).isEqualTo(1_000L);
        for (String bad : List.of("0s", "8d", "60", "1x", "s", "-1h", "1.5h", "99999999999h", "")) {
            assertThatThrownBy(() -> args("log_full_every=" + bad)).as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("for log_full_every")
                    .hasMessageContaining("1s to 7d");
        }
    }

    @Test
    void logFileWithEmptyPath() {
        assertThatThrownBy(() -> AgentConfig.load(null, new Properties(), env("TLSAGENT_LOG", "file:")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'file:'")
                .hasMessageContaining("for log")
                .hasMessageContaining("TLSAGENT_LOG")
                .hasMessageContaining("file:<path>");
    }

    @Test
    void enabledMaybe() {
        assertThatThrownBy(() -> args("enabled=maybe"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'maybe'")
                .hasMessageContaining("for enabled")
                .hasMessageContaining("true or false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "host/x", "tab\there"})
    void invalidHost(String host) {
        assertThatThrownBy(() -> AgentConfig.load(null, props("tlsagent.host", host), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("for host")
                .hasMessageContaining(AgentConfig.Key.HOST.accepts());
    }

    @Test
    void serviceNameWithControlCharacterOrTooLong() {
        assertThatThrownBy(() -> AgentConfig.load(null, props("tlsagent.service_name", "a\nb"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("for service_name");
        String tooLong = "x".repeat(257);
        assertThatThrownBy(() -> args("service_name=" + tooLong))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("for service_name");
        assertThat(catchNothing(() -> args("service_name=" + "x".repeat(256)).serviceName())).hasSize(256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"port", "port=1,log", "=5", "port=1,,log=off"})
    void malformedPairWithoutEquals(String agentArgs) {
        assertThatThrownBy(() -> args(agentArgs))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not key=value")
                .hasMessageContaining(KEY_LIST);
    }

    @Test
    void malformedPairNamesThePair() {
        assertThatThrownBy(() -> args("port=1,verbose"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'verbose'");
    }

    @Test
    void messagesAreOneLine() {
        assertThatThrownBy(() -> args("port=abc"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> args("what=ever"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static <T> T catchNothing(ThrowingSupplier<T> s) {
        try {
            return s.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
