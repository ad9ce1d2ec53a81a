package io.tlsagent.config;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how the agent pushes over OTLP: the agent's {@code otlp_*} keys first, then the standard
 * {@code OTEL_*} environment variables read the way the OpenTelemetry SDK reads them (a signal's own variable
 * before the general one; {@code OTEL_EXPORTER_OTLP_ENDPOINT} is a base to which {@code v1/metrics} or
 * {@code v1/logs} is appended, a signal's endpoint is used as it is). Those variables are often set for another
 * exporter (the OpenTelemetry agent's), so one that does not parse is said once and ignored, never fatal; a
 * mistake in the agent's own keys is ({@link IllegalArgumentException}, reported as a configuration error).
 */
public final class OtlpConfig {

    /** The value of {@code otlp_endpoint} that takes the endpoints from the OTEL_* variables. */
    public static final String FROM_ENVIRONMENT = "env";
    static final String PROTOCOL = "http/protobuf";
    private static final String DEFAULT_BASE = "http://localhost:4318";
    private static final long DEFAULT_INTERVAL_MILLIS = 60_000;
    private static final long DEFAULT_TIMEOUT_MILLIS = 10_000;

    /** One kind of data pushed: metrics or log records, each with its own endpoint and request settings. */
    public static final class Signal {
        private final String endpoint;
        private final Map<String, String> headers;
        private final long timeoutMillis;
        private final boolean gzip;
        private final String certificatePath;

        Signal(String endpoint, Map<String, String> headers, long timeoutMillis, boolean gzip,
                String certificatePath) {
            this.endpoint = endpoint;
            this.headers = Collections.unmodifiableMap(headers);
            this.timeoutMillis = timeoutMillis;
            this.gzip = gzip;
            this.certificatePath = certificatePath;
        }

        /** The full URL the requests go to. */
        public String endpoint() {
            return endpoint;
        }

        public Map<String, String> headers() {
            return headers;
        }

        public long timeoutMillis() {
            return timeoutMillis;
        }

        public boolean gzip() {
            return gzip;
        }

        /** A PEM file of the certificates to trust for an https endpoint; null: the JVM's default trust. */
        public String certificatePath() {
            return certificatePath;
        }
    }

    private final Signal metrics;
    private final Signal logs;
    private final long intervalMillis;
    private final Map<String, String> resource;
    private final List<String> notes;

    private OtlpConfig(Signal metrics, Signal logs, long intervalMillis, Map<String, String> resource,
            List<String> notes) {
        this.metrics = metrics;
        this.logs = logs;
        this.intervalMillis = intervalMillis;
        this.resource = Collections.unmodifiableMap(resource);
        this.notes = List.copyOf(notes);
    }

    public Signal metrics() {
        return metrics;
    }

    public Signal logs() {
        return logs;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    /** Resource attributes, {@code service.name} always among them. */
    public Map<String, String> resource() {
        return resource;
    }

    /** What was ignored in the environment, each to be said once. */
    public List<String> notes() {
        return notes;
    }

    /**
     * {@code given}: the agent's keys that were given (name to value; {@code otlp_endpoint} among them);
     * {@code derivedServiceName}: the service name when the {@code service_name} key was not given, else null.
     */
    static OtlpConfig parse(Map<String, String> given, Map<String, String> env, String derivedServiceName) {
        List<String> notes = new ArrayList<>();
        String endpoint = given.get("otlp_endpoint").trim();
        String protocol = given.get("otlp_protocol");
        if (protocol != null && !protocol.equals(PROTOCOL)) {
            throw new IllegalArgumentException("invalid value '" + protocol + "' for otlp_protocol: expected "
                    + PROTOCOL + " (OTLP over gRPC would need a gRPC stack in the agent; a Collector takes OTLP/HTTP"
                    + " on port 4318)");
        }
        if (!endpoint.equals(FROM_ENVIRONMENT)) {
            checkUrl(endpoint, "otlp_endpoint");
        }
        long interval = given.containsKey("otlp_interval") ? interval(given.get("otlp_interval"))
                : envMillis(env, "OTEL_METRIC_EXPORT_INTERVAL", DEFAULT_INTERVAL_MILLIS, 200, 3_600_000, notes);
        Map<String, String> headers = given.containsKey("otlp_headers")
                ? pairs(given.get("otlp_headers"), "otlp_headers", true, null) : null;
        Signal metrics = signal("METRICS", "v1/metrics", endpoint, headers, env, notes);
        Signal logs = signal("LOGS", "v1/logs", endpoint, headers, env, notes);

        Map<String, String> resource = new LinkedHashMap<>();
        String fromEnv = env.get("OTEL_RESOURCE_ATTRIBUTES");
        if (fromEnv != null) {
            resource.putAll(pairs(fromEnv, "OTEL_RESOURCE_ATTRIBUTES", false, notes));
        }
        String envService = env.get("OTEL_SERVICE_NAME");
        if (envService != null && !envService.trim().isEmpty()) {
            resource.put("service.name", envService.trim());
        }
        if (given.containsKey("otlp_resource_attributes")) {
            resource.putAll(pairs(given.get("otlp_resource_attributes"), "otlp_resource_attributes", true, null));
        }
        if (derivedServiceName == null) {
            resource.put("service.name", given.get("service_name"));
        } else {
            resource.putIfAbsent("service.name", derivedServiceName);
        }
        return new OtlpConfig(metrics, logs, interval, resource, notes);
    }

    private static Signal signal(String name, String path, String endpoint, Map<String, String> headers,
            Map<String, String> env, List<String> notes) {
        String url;
        if (endpoint.equals(FROM_ENVIRONMENT)) {
            String own = env.get("OTEL_EXPORTER_OTLP_" + name + "_ENDPOINT");
            String base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
            url = own != null && !own.trim().isEmpty() ? own.trim()
                    : withPath(base != null && !base.trim().isEmpty() ? base.trim() : DEFAULT_BASE, path);
            checkUrl(url, own != null ? "OTEL_EXPORTER_OTLP_" + name + "_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT");
        } else {
            url = withPath(endpoint, path);
        }
        String protocol = envOf(env, name, "PROTOCOL");
        if (protocol != null && !protocol.trim().equals(PROTOCOL)) {
            notes.add("OTEL_EXPORTER_OTLP_PROTOCOL (or its " + name + " variant) is '" + protocol.trim()
                    + "': tls-agent pushes " + PROTOCOL + " only, to " + url);
        }
        if (headers == null) {
            String h = envOf(env, name, "HEADERS");
            headers = h == null ? Map.of() : pairs(h, "OTEL_EXPORTER_OTLP_HEADERS", false, notes);
        }
        long timeout = envMillis(env, "OTEL_EXPORTER_OTLP_" + name + "_TIMEOUT",
                envMillis(env, "OTEL_EXPORTER_OTLP_TIMEOUT", DEFAULT_TIMEOUT_MILLIS, 1, 600_000, notes), 1,
                600_000, notes);
        String compression = envOf(env, name, "COMPRESSION");
        boolean gzip = false;
        if (compression != null) {
            String c = compression.trim().toLowerCase(Locale.ROOT);
            if (c.equals("gzip")) {
                gzip = true;
            } else if (!c.equals("none")) {
                notes.add("OTEL_EXPORTER_OTLP_COMPRESSION '" + compression + "' ignored: expected gzip or none");
            }
        }
        if (envOf(env, name, "CLIENT_KEY") != null || envOf(env, name, "CLIENT_CERTIFICATE") != null) {
            notes.add("OTEL_EXPORTER_OTLP_CLIENT_KEY/CLIENT_CERTIFICATE ignored: tls-agent pushes without a client"
                    + " certificate");
        }
        return new Signal(url, headers, timeout, gzip, envOf(env, name, "CERTIFICATE"));
    }

    /** A signal's own variable, else the general one; null when neither is set. */
    private static String envOf(Map<String, String> env, String signal, String setting) {
        String own = env.get("OTEL_EXPORTER_OTLP_" + signal + "_" + setting);
        return own != null ? own : env.get("OTEL_EXPORTER_OTLP_" + setting);
    }

    /** The SDK's rule: a base endpoint gets the signal's path, with a slash between. */
    static String withPath(String base, String path) {
        return base.endsWith("/") ? base + path : base + "/" + path;
    }

    private static void checkUrl(String url, String name) {
        try {
            URI uri = new URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid value '" + url + "' for " + name + ": expected an http:// or"
                + " https:// URL such as http://collector:4318" + (name.equals("otlp_endpoint")
                        ? ", or env to take it from OTEL_EXPORTER_OTLP_ENDPOINT" : ""));
    }

    /** {@code 200ms}, {@code 10s}, {@code 1m} or a number of milliseconds, between 200 ms and 1 h. */
    static long interval(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("ms")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
            unit = 1000;
        } else if (v.endsWith("m")) {
            v = v.substring(0, v.length() - 1);
            unit = 60_000;
        }
        try {
            long millis = Long.parseLong(v.trim()) * unit;
            if (millis >= 200 && millis <= 3_600_000) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid value '" + value + "' for otlp_interval: expected "
                + AgentConfig.Key.OTLP_INTERVAL.accepts());
    }

    private static long envMillis(Map<String, String> env, String name, long otherwise, long min, long max,
            List<String> notes) {
        String v = env.get(name);
        if (v == null || v.trim().isEmpty()) {
            return otherwise;
        }
        try {
            long millis = Long.parseLong(v.trim());
            if (millis >= min && millis <= max) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        notes.add(name + "='" + v + "' ignored: expected milliseconds from " + min + " to " + max);
        return otherwise;
    }

    /**
     * {@code key=value,key=value} as the SDK reads headers and resource attributes: blanks around entries dropped,
     * values percent-decoded (a {@code +} stays a plus, a broken escape stays as it is). A malformed entry of one
     * of the agent's keys ({@code strict}) is an error; of a variable, it is noted and skipped.
     */
    static Map<String, String> pairs(String text, String name, boolean strict, List<String> notes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.trim().isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq > 0 ? entry.substring(0, eq).trim() : "";
            if (key.isEmpty()) {
                if (strict) {
                    throw new IllegalArgumentException("invalid value '" + text + "' for " + name
                            + ": expected key=value,key=value");
                }
                notes.add(name + ": entry '" + entry.trim() + "' ignored (not key=value)");
                continue;
            }
            out.put(key, decode(entry.substring(eq + 1).trim()));
        }
        return out;
    }

    /** Percent-decoding, UTF-8; what is not a valid escape stays as it is. */
    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            int hi = c == '%' && i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                bytes.write(hi * 16 + lo);
                i += 3;
            } else {
                byte[] b = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                i += Character.charCount(c);
            }
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }
}
