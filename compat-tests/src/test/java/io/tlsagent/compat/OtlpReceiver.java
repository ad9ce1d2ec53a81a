package io.tlsagent.compat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * An OTLP/HTTP receiver for the tests (VictoriaMetrics takes metrics only): decodes what it gets with the official
 * {@code opentelemetry-proto} classes, keeps it, and answers with the status the test sets (200, or 401 to refuse).
 * Over HTTPS when given an SSLContext.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One log record as received, with its resource's and scope's names. */
    public static final class Log {
        public final Map<String, Object> resource;
        public final String scope;
        public final LogRecord record;
        public final Map<String, Object> attributes;

        Log(Map<String, Object> resource, String scope, LogRecord record) {
            this.resource = resource;
            this.scope = scope;
            this.record = record;
            this.attributes = attributes(record.getAttributesList());
        }

        public String traceId() {
            return hex(record.getTraceId().toByteArray());
        }

        public String spanId() {
            return hex(record.getSpanId().toByteArray());
        }
    }

    private final HttpServer server;
    public final int port;
    private volatile int status = 200;
    private final List<Log> logs = Collections.synchronizedList(new ArrayList<>());
    private final List<Span> spans = Collections.synchronizedList(new ArrayList<>());
    private final List<ResourceMetrics> metrics = Collections.synchronizedList(new ArrayList<>());
    private final List<String> logRequests = Collections.synchronizedList(new ArrayList<>());

    private OtlpReceiver(HttpServer server) {
        this.server = server;
        this.port = server.getAddress().getPort();
        server.createContext("/v1/logs", ex -> receive(ex, "logs"));
        server.createContext("/v1/traces", ex -> receive(ex, "traces"));
        server.createContext("/v1/metrics", ex -> receive(ex, "metrics"));
        server.start();
    }

    /** On {@code port} (0: a free one) of the loopback; HTTPS with {@code tls}, else plain HTTP. */
    public static OtlpReceiver start(int port, SSLContext tls) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (tls == null) {
            return new OtlpReceiver(HttpServer.create(at, 0));
        }
        HttpsServer https = HttpsServer.create(at, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new OtlpReceiver(https);
    }

    public String url(String path) {
        return (server instanceof HttpsServer ? "https://localhost:" : "http://127.0.0.1:") + port + path;
    }

    /** The HTTP status every later request gets (200 takes the data). */
    public void answer(int status) {
        this.status = status;
    }

    private void receive(HttpExchange ex, String signal) throws IOException {
        try (InputStream raw = ex.getRequestBody()) {
            byte[] body = raw.readAllBytes();
            if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            int answer = status;
            if (signal.equals("logs")) {
                logRequests.add(hex(MessageDigest.getInstance("SHA-256").digest(body)));
            }
            if (answer == 200) {
                keep(signal, body);
            }
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(answer, -1);
        } catch (Exception e) {
            ex.sendResponseHeaders(400, -1);
        } finally {
            ex.close();
        }
    }

    private void keep(String signal, byte[] body) throws IOException {
        switch (signal) {
            case "logs":
                for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(body).getResourceLogsList()) {
                    Map<String, Object> resource = attributes(rl.getResource().getAttributesList());
                    for (ScopeLogs sl : rl.getScopeLogsList()) {
                        for (LogRecord r : sl.getLogRecordsList()) {
                            logs.add(new Log(resource, sl.getScope().getName(), r));
                        }
                    }
                }
                break;
            case "traces":
                for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        spans.addAll(ss.getSpansList());
                    }
                }
                break;
            default:
                metrics.addAll(ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList());
        }
    }

    /** The log records received (with status 200) of one instrumentation scope. */
    public List<Log> logs(String scope) {
        synchronized (logs) {
            return logs.stream().filter(l -> l.scope.equals(scope)).collect(Collectors.toList());
        }
    }

    public List<Span> spans() {
        synchronized (spans) {
            return new ArrayList<>(spans);
        }
    }

    /** The SHA-256 of each log request's body, whatever the answer: a retried request repeats one. */
    public List<String> logRequests() {
        synchronized (logRequests) {
            return new ArrayList<>(logRequests);
        }
    }

    /** The newest data points of a metric (cumulative sums: the last export has the totals). */
    public List<Metric> metric(String name) {
        List<Metric> found = new ArrayList<>();
        synchronized (metrics) {
            for (ResourceMetrics rm : metrics) {
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric m : sm.getMetricsList()) {
                        if (m.getName().equals(name)) {
                            found.add(m);
                        }
                    }
                }
            }
        }
        return found;
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    static Object value(AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE:
                return v.getStringValue();
            case BOOL_VALUE:
                return v.getBoolValue();
            case INT_VALUE:
                return v.getIntValue();
            case DOUBLE_VALUE:
                return v.getDoubleValue();
            case ARRAY_VALUE:
                return v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value)
                        .collect(Collectors.toList());
            default:
                return v.toString();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
