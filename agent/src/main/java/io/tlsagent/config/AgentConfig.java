package io.tlsagent.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings. Each key can be given as an agent argument ({@code -javaagent:tls-agent.jar=port=9464}),
 * a system property ({@code -Dtlsagent.port=9464}) or an environment variable ({@code TLSAGENT_PORT=9464});
 * that is also the order of precedence, before the defaults.
 */
public final class AgentConfig {

    /** Every key the agent accepts, with what it accepts; the README's configuration table mirrors this. */
    public enum Key {
        ENABLED("enabled", "true", "true or false"),
        PORT("port", "9464", "a TCP port 0-65535 for the /metrics endpoint (0 = no endpoint)"),
        HOST("host", "0.0.0.0", "the address the /metrics endpoint binds to"),
        LOG("log", "stdout", "stdout, stderr, off, or file:<path> for the JSON handshake log"),
        SERVICE_NAME("service_name", "", "the service.name in log lines (default: the main jar or class)"),
        LOG_DETAIL("log_detail", "summary", "summary (a compact line per handshake; the full anatomy for the first"
                + " of each kind and for failures) or full (the full anatomy on every line)"),
        LOG_FULL_EVERY("log_full_every", "1h", "how often the first handshake of each kind is written in full again"
                + " in summary mode: a duration such as 1h, 30m or 90s (1s to 7d)"),
        CLIENT_HELLO("client_hello", "true", "true or false: capture ClientHello and ServerHello contents"),
        FINGERPRINTS("fingerprints", "true", "true or false: compute JA3, JA3S and JA4 fingerprints"),
        EXPIRING_DAYS("expiring_days", "14", "days before not_after that a certificate counts as expiring (0-3650)"),
        CERTIFICATE_SERIES("certificate_series", "500",
                "most certificates in tls_certificate_expiry_timestamp_seconds (1-100000)"),
        TRUST_STORE_INVENTORY("trust_store_inventory", "false", "true or false: also export the trust anchors of the"
                + " trust stores this JVM loads (the JDK's cacerts holds about 150; its roots never fire the alerts)"),
        AUTH_USER("auth_user", "", "a user name: /metrics then requires HTTP basic authentication"),
        AUTH_PASSWORD("auth_password", "", "the password for auth_user (prefer TLSAGENT_AUTH_PASSWORD)"),
        TLS_KEYSTORE("tls_keystore", "", "a PKCS12 keystore path: /metrics is then served over HTTPS only"),
        TLS_KEYSTORE_PASSWORD("tls_keystore_password", "", "the keystore's password"),
        JFR("jfr", "true", "true or false: commit a JDK Flight Recorder event tlsagent.Handshake per handshake"),
        OTLP_ENDPOINT("otlp_endpoint", "", "an OTLP/HTTP base URL (http://collector:4318): push metrics and one log"
                + " record per handshake there; env: the endpoints of the OTEL_EXPORTER_OTLP_* variables"),
        OTLP_PROTOCOL("otlp_protocol", "http/protobuf", "http/protobuf (the only one bundled)"),
        OTLP_INTERVAL("otlp_interval", "60s", "how often metrics are pushed: 200ms to 1h (ms, s or m)"),
        OTLP_HEADERS("otlp_headers", "", "headers of every OTLP request, key=value,key=value (values URL-encoded)"),
        OTLP_RESOURCE_ATTRIBUTES("otlp_resource_attributes", "",
                "resource attributes of the pushed data, key=value,key=value (over OTEL_RESOURCE_ATTRIBUTES)"),
        METRICS("metrics", "agent", "agent (the agent's /metrics endpoint), app (the application's own Micrometer"
                + " registries, such as Spring Boot's /actuator/prometheus; no port of its own) or both");

        final String name;
        final String defaultValue;
        final String accepts;

        Key(String name, String defaultValue, String accepts) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.accepts = accepts;
        }

        public String key() {
            return name;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String accepts() {
            return accepts;
        }

        static Key of(String name) {
            for (Key k : values()) {
                if (k.name.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Where the JSON log goes. */
    public enum LogTarget { STDOUT, STDERR, FILE, OFF }

    /** How much of each handshake a JSON line carries. */
    public enum LogDetail { SUMMARY, FULL }

    /** Where the metrics are served: the agent's endpoint, the application's Micrometer registries, or both. */
    public enum MetricsTarget {
        AGENT, APP, BOTH;

        public boolean agentEndpoint() {
            return this != APP;
        }

        public boolean app() {
            return this != AGENT;
        }
    }

    private final boolean enabled;
    private final int port;
    private final String host;
    private final LogTarget logTarget;
    private final String logPath;
    private final LogDetail logDetail;
    private final long logFullEveryMillis;
    private final String serviceName;
    private final boolean clientHello;
    private final boolean fingerprints;
    private final int expiringDays;
    private final int certificateSeries;
    private final boolean trustStoreInventory;
    private final String authUser;
    private final String authPassword;
    private final String tlsKeystore;
    private final String tlsKeystorePassword;
    private final boolean jfr;
    private final OtlpConfig otlp;
    private final MetricsTarget metrics;

    private AgentConfig(boolean enabled, int port, String host, LogTarget logTarget, String logPath,
            LogDetail logDetail, long logFullEveryMillis, String serviceName, boolean clientHello,
            boolean fingerprints, int expiringDays, int certificateSeries, boolean trustStoreInventory,
            String authUser, String authPassword, String tlsKeystore, String tlsKeystorePassword, boolean jfr,
            OtlpConfig otlp, MetricsTarget metrics) {
        this.enabled = enabled;
        this.port = port;
        this.host = host;
        this.logTarget = logTarget;
        this.logPath = logPath;
        this.logDetail = logDetail;
        this.logFullEveryMillis = logFullEveryMillis;
        this.serviceName = serviceName;
        this.clientHello = clientHello;
        this.fingerprints = fingerprints;
        this.expiringDays = expiringDays;
        this.certificateSeries = certificateSeries;
        this.trustStoreInventory = trustStoreInventory;
        this.authUser = authUser;
        this.authPassword = authPassword;
        this.tlsKeystore = tlsKeystore;
        this.tlsKeystorePassword = tlsKeystorePassword;
        this.jfr = jfr;
        this.otlp = otlp;
        this.metrics = metrics;
    }

    /** Null unless {@code otlp_endpoint} is set: the settings of the OTLP push. */
    public OtlpConfig otlp() {
        return otlp;
    }

    /** Where the metrics are served. */
    public MetricsTarget metrics() {
        return metrics;
    }

    /** Whether each handshake is also a JDK Flight Recorder event (recorded only while a recording runs). */
    public boolean jfr() {
        return jfr;
    }

    /** Null when /metrics needs no authentication. */
    public String authUser() {
        return authUser;
    }

    public String authPassword() {
        return authPassword;
    }

    /** Null when /metrics is served over plain HTTP. */
    public String tlsKeystore() {
        return tlsKeystore;
    }

    public String tlsKeystorePassword() {
        return tlsKeystorePassword;
    }

    public boolean clientHello() {
        return clientHello;
    }

    public boolean fingerprints() {
        return fingerprints;
    }

    public int expiringDays() {
        return expiringDays;
    }

    public int certificateSeries() {
        return certificateSeries;
    }

    /** Whether the trust anchors of the trust stores this JVM loads are exported too. */
    public boolean trustStoreInventory() {
        return trustStoreInventory;
    }

    public boolean enabled() {
        return enabled;
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public LogTarget logTarget() {
        return logTarget;
    }

    /** Only for {@link LogTarget#FILE}. */
    public String logPath() {
        return logPath;
    }

    public String serviceName() {
        return serviceName;
    }

    public LogDetail logDetail() {
        return logDetail;
    }

    /** In summary mode, how long a kind of handshake that was written in full stays known before it is again. */
    public long logFullEveryMillis() {
        return logFullEveryMillis;
    }

    /** Reads the settings; throws with one clear line naming the key and what it accepts. */
    public static AgentConfig load(String agentArgs, Properties systemProperties, Map<String, String> environment)
            throws ConfigException {
        Map<Key, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getKey().startsWith("TLSAGENT_")) {
                put(settings, e.getKey().substring(9).toLowerCase(Locale.ROOT), e.getValue(),
                        "environment variable " + e.getKey());
            }
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith("tlsagent.")) {
                put(settings, name.substring(9), systemProperties.getProperty(name), "system property -D" + name);
            }
        }
        if (agentArgs != null && !agentArgs.trim().isEmpty()) {
            for (String pair : agentArgs.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("agent argument '" + pair.trim() + "' is not key=value; keys: "
                            + keyList());
                }
                put(settings, pair.substring(0, eq).trim(), pair.substring(eq + 1).trim(), "agent argument");
            }
        }
        return new AgentConfig(
                parseBoolean(settings, Key.ENABLED),
                parsePort(settings),
                parseHost(settings),
                parseLogTarget(settings),
                parseLogPath(settings),
                parseLogDetail(settings),
                parseDuration(settings, Key.LOG_FULL_EVERY, 1_000L, 7 * 86_400_000L),
                parseServiceName(settings, systemProperties.getProperty("sun.java.command")),
                parseBoolean(settings, Key.CLIENT_HELLO),
                parseBoolean(settings, Key.FINGERPRINTS),
                parseInt(settings, Key.EXPIRING_DAYS, 0, 3650),
                parseInt(settings, Key.CERTIFICATE_SERIES, 1, 100_000),
                parseBoolean(settings, Key.TRUST_STORE_INVENTORY),
                optional(settings, Key.AUTH_USER),
                parseAuthPassword(settings),
                optional(settings, Key.TLS_KEYSTORE),
                raw(settings, Key.TLS_KEYSTORE_PASSWORD),
                parseBoolean(settings, Key.JFR),
                parseOtlp(settings, environment, systemProperties.getProperty("sun.java.command")),
                parseMetrics(settings));
    }

    /** Null unless otlp_endpoint is given; the OTEL_* variables fill in what the agent's keys do not say. */
    private static OtlpConfig parseOtlp(Map<Key, Setting> settings, Map<String, String> environment,
            String javaCommand) throws ConfigException {
        if (!settings.containsKey(Key.OTLP_ENDPOINT)) {
            for (Key k : new Key[] {Key.OTLP_PROTOCOL, Key.OTLP_INTERVAL, Key.OTLP_HEADERS,
                    Key.OTLP_RESOURCE_ATTRIBUTES}) {
                if (settings.containsKey(k)) {
                    throw new ConfigException(k.name + " (" + settings.get(k).source
                            + ") needs otlp_endpoint: OTLP push is on only when otlp_endpoint is set");
                }
            }
            return null;
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<Key, Setting> e : settings.entrySet()) {
            given.put(e.getKey().name, e.getValue().value);
        }
        try {
            return OtlpConfig.parse(given, environment,
                    settings.containsKey(Key.SERVICE_NAME) ? null : parseServiceName(settings, javaCommand));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static final class Setting {
        final String value;
        final String source;

        Setting(String value, String source) {
            this.value = value;
            this.source = source;
        }
    }

    private static void put(Map<Key, Setting> settings, String name, String value, String source)
            throws ConfigException {
        Key key = Key.of(name);
        if (key == null) {
            throw new ConfigException("unknown key '" + name + "' (" + source + "); keys: " + keyList());
        }
        settings.put(key, new Setting(value, source));
    }

    private static String keyList() {
        StringBuilder sb = new StringBuilder();
        for (Key k : Key.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.name);
        }
        return sb.toString();
    }

    private static String raw(Map<Key, Setting> settings, Key key) {
        Setting s = settings.get(key);
        return s != null ? s.value : key.defaultValue;
    }

    private static ConfigException invalid(Map<Key, Setting> settings, Key key) {
        Setting s = settings.get(key);
        return new ConfigException("invalid value '" + s.value + "' for " + key.name + " (" + s.source
                + "): expected " + key.accepts);
    }

    private static boolean parseBoolean(Map<Key, Setting> settings, Key key) throws ConfigException {
        String v = raw(settings, key);
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw invalid(settings, key);
    }

    private static int parsePort(Map<Key, Setting> settings) throws ConfigException {
        return parseInt(settings, Key.PORT, 0, 65535);
    }

    private static int parseInt(Map<Key, Setting> settings, Key key, int min, int max) throws ConfigException {
        try {
            int value = Integer.parseInt(raw(settings, key));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(settings, key);
    }

    private static String optional(Map<Key, Setting> settings, Key key) {
        String v = raw(settings, key);
        return v.isEmpty() ? null : v;
    }

    /** A user needs a password, and a password is useless without a user. */
    private static String parseAuthPassword(Map<Key, Setting> settings) throws ConfigException {
        boolean user = !raw(settings, Key.AUTH_USER).isEmpty();
        boolean password = !raw(settings, Key.AUTH_PASSWORD).isEmpty();
        if (user != password) {
            throw new ConfigException("auth_user and auth_password must be given together");
        }
        return optional(settings, Key.AUTH_PASSWORD);
    }

    private static String parseHost(Map<Key, Setting> settings) throws ConfigException {
        String host = raw(settings, Key.HOST);
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            throw invalid(settings, Key.HOST);
        }
        return host;
    }

    private static LogTarget parseLogTarget(Map<Key, Setting> settings) throws ConfigException {
        String v = raw(settings, Key.LOG);
        switch (v) {
            case "stdout":
                return LogTarget.STDOUT;
            case "stderr":
                return LogTarget.STDERR;
            case "off":
                return LogTarget.OFF;
            default:
                if (v.startsWith("file:") && v.length() > 5) {
                    return LogTarget.FILE;
                }
                throw invalid(settings, Key.LOG);
        }
    }

    private static MetricsTarget parseMetrics(Map<Key, Setting> settings) throws ConfigException {
        String v = raw(settings, Key.METRICS);
        for (MetricsTarget t : MetricsTarget.values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(v)) {
                return t;
            }
        }
        throw invalid(settings, Key.METRICS);
    }

    private static String parseLogPath(Map<Key, Setting> settings) {
        String v = raw(settings, Key.LOG);
        return v.startsWith("file:") ? v.substring(5) : null;
    }

    private static LogDetail parseLogDetail(Map<Key, Setting> settings) throws ConfigException {
        switch (raw(settings, Key.LOG_DETAIL)) {
            case "summary":
                return LogDetail.SUMMARY;
            case "full":
                return LogDetail.FULL;
            default:
                throw invalid(settings, Key.LOG_DETAIL);
        }
    }

    /** A number and a unit, {@code s}, {@code m}, {@code h} or {@code d}; in milliseconds. */
    private static long parseDuration(Map<Key, Setting> settings, Key key, long min, long max)
            throws ConfigException {
        String v = raw(settings, key).trim();
        if (v.length() >= 2 && v.length() <= 12) {
            long unit;
            switch (v.charAt(v.length() - 1)) {
                case 's': unit = 1_000L; break;
                case 'm': unit = 60_000L; break;
                case 'h': unit = 3_600_000L; break;
                case 'd': unit = 86_400_000L; break;
                default: unit = -1;
            }
            String number = v.substring(0, v.length() - 1);
            if (unit > 0 && number.chars().allMatch(c -> c >= '0' && c <= '9')) {
                long millis = Long.parseLong(number) * unit;
                if (millis >= min && millis <= max) {
                    return millis;
                }
            }
        }
        throw invalid(settings, key);
    }

    private static String parseServiceName(Map<Key, Setting> settings, String javaCommand) throws ConfigException {
        String v = raw(settings, Key.SERVICE_NAME);
        if (v.length() > 256 || v.chars().anyMatch(Character::isISOControl)) {
            throw invalid(settings, Key.SERVICE_NAME);
        }
        return v.isEmpty() ? ServiceNames.fromCommand(javaCommand) : v;
    }
}
