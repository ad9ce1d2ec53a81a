package io.tlsagent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsagent.testsupport.ClassPath;
import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Scrape;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves dashboards/ against reality: promtool checks and unit-tests the alerting rules; the Grafana dashboard has
 * the structure a user needs (a data source variable, job and instance variables, units, $__rate_interval); and,
 * with the demo running with the built agent and a real Prometheus scraping it every second, every PromQL
 * expression of every panel, variable and alert parses and returns data.
 *
 * <p>Four metrics are being added to the agent (see {@link #COMING}): their panels and alerts are checked as soon as
 * a scrape of the agent contains them, and reported as skipped (on stdout) until then.
 */
class DashboardsIT {

    /** Metrics the dashboard and alerts already use that the agent does not export yet (base names). */
    private static final Set<String> COMING = Set.of(
            "tls_trust_check_duration_seconds",
            "tls_certificate_expiry_timestamp_seconds",
            "tls_handshake_findings_total",
            "tls_client_hellos_total");
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");
    /** What Grafana's variables become; $__rate_interval is 60 scrape intervals here (Grafana: at least 4). */
    private static final String RATE_INTERVAL = "1m";
    private static final Duration DATA_DEADLINE = Duration.ofSeconds(45);
    private static final int SCRAPE_AFTER_CLIENT_HANDSHAKES = 120;
    /** Long enough for a Spring Boot application to start on a busy 2-core machine. */
    private static final long SCRAPE_DEADLINE_SECONDS = 90;
    private static final Pattern METRIC = Pattern.compile("\\b(tls_[a-z0-9_]+)\\b");
    private static final Pattern README_ROW = Pattern.compile(
            "^\\|\\s*`(tls_[a-z0-9_]+)`\\s*\\|\\s*(counter|gauge|histogram|summary)\\s*\\|", Pattern.MULTILINE);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Path dashboards;
    private static Path work;
    private static final List<Process> started = new ArrayList<>();
    private static final List<ForkedJvm> forks = new ArrayList<>();

    @BeforeAll
    static void locate() throws IOException {
        dashboards = Paths.get(System.getProperty("tlsagent.dashboards", "../dashboards")).toAbsolutePath().normalize();
        assertThat(dashboards.resolve("grafana/tls-handshakes.json")).exists();
        work = Paths.get("target", "dashboards-it").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        forks.forEach(ForkedJvm::close);
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // promtool

    @Test
    void promtoolChecksAndTestsTheAlertingRules() throws Exception {
        Path prometheusDir = dashboards.resolve("prometheus");
        assertSucceeds(run(prometheusDir, tool("promtool"), "check", "rules", "alerts.yml"));
        assertSucceeds(run(prometheusDir, tool("promtool"), "test", "rules", "alerts.test.yml"));
        assertSucceeds(run(prometheusDir, tool("promtool"), "check", "config", "prometheus.yml"));

        // Every alert has a unit test that expects it to fire (exp_alerts with labels) and one where it stays quiet.
        String rules = Files.readString(prometheusDir.resolve("alerts.yml"));
        String tests = Files.readString(prometheusDir.resolve("alerts.test.yml"));
        for (String alert : alertNames(rules)) {
            Matcher m = Pattern.compile("alertname: " + alert + "\\s*\\n\\s*exp_alerts:(\\s*\\[\\])?").matcher(tests);
            boolean fires = false;
            boolean quiet = false;
            while (m.find()) {
                if (m.group(1) != null) {
                    quiet = true;
                } else {
                    fires = true;
                }
            }
            assertThat(fires).as("a test where %s fires", alert).isTrue();
            assertThat(quiet).as("a test where %s stays quiet", alert).isTrue();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The dashboard's structure

    @Test
    void dashboardHasTheStructureAUserNeeds() throws Exception {
        Path file = dashboards.resolve("grafana/tls-handshakes.json");
        String text = Files.readString(file);
        JsonNode dashboard = JSON.readTree(text);
        List<String> problems = new ArrayList<>();

        if (text.contains("${DS_") || dashboard.has("__inputs")) {
            problems.add("uses import-time inputs (${DS_...} / __inputs): use the datasource variable instead");
        }
        if (dashboard.path("uid").asText().isEmpty() || dashboard.path("title").asText().isEmpty()) {
            problems.add("needs a uid and a title");
        }
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            variables.put(v.path("name").asText(), v);
        }
        JsonNode ds = variables.get("datasource");
        if (ds == null || !ds.path("type").asText().equals("datasource")
                || !ds.path("query").asText().equals("prometheus")) {
            problems.add("needs a variable 'datasource' of type datasource with query prometheus");
        }
        for (String name : List.of("job", "instance")) {
            JsonNode v = variables.get(name);
            if (v == null || !v.path("type").asText().equals("query")) {
                problems.add("needs a query variable '" + name + "'");
            } else if (!v.path("datasource").path("uid").asText().equals("${datasource}")) {
                problems.add("variable '" + name + "' must query the ${datasource}");
            }
        }
        if (variables.containsKey("instance") && !variableQuery(variables.get("instance")).contains("$job")) {
            problems.add("the instance variable should follow the job variable ($job in its query)");
        }

        Set<Integer> ids = new LinkedHashSet<>();
        for (JsonNode panel : panels(dashboard)) {
            String title = "panel '" + panel.path("title").asText() + "'";
            if (!ids.add(panel.path("id").asInt())) {
                problems.add(title + ": duplicate id " + panel.path("id").asInt());
            }
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            if (!isDatasourceVariable(panel.path("datasource"))) {
                problems.add(title + ": datasource must be {type: prometheus, uid: ${datasource}}, not "
                        + panel.path("datasource"));
            }
            if (panel.path("fieldConfig").path("defaults").path("unit").asText().isEmpty()) {
                problems.add(title + ": no unit (fieldConfig.defaults.unit)");
            }
            JsonNode grid = panel.path("gridPos");
            if (grid.path("w").asInt() <= 0 || grid.path("x").asInt() + grid.path("w").asInt() > 24) {
                problems.add(title + ": gridPos outside the 24 columns: " + grid);
            }
            if (!panel.path("targets").isArray() || panel.path("targets").size() == 0) {
                problems.add(title + ": no query");
            }
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                if (!isDatasourceVariable(target.path("datasource"))) {
                    problems.add(title + " " + target.path("refId").asText()
                            + ": target datasource must be ${datasource}");
                }
                problems.addAll(exprProblems(title + " " + target.path("refId").asText(), expr));
            }
        }
        assertThat(problems).as("dashboard problems").isEmpty();
    }

    /** Every range is $__rate_interval, every selector of an agent metric filters by $job and $instance. */
    private static List<String> exprProblems(String where, String expr) {
        List<String> problems = new ArrayList<>();
        Matcher ranges = Pattern.compile("\\[([^\\]]*)\\]").matcher(expr);
        int rangeCount = 0;
        while (ranges.find()) {
            rangeCount++;
            if (!ranges.group(1).equals("$__rate_interval")) {
                problems.add(where + ": range [" + ranges.group(1) + "] instead of [$__rate_interval]: " + expr);
            }
        }
        int rangeFunctions = count(expr, "rate(") + count(expr, "increase(") + count(expr, "_over_time(");
        if (rangeFunctions > rangeCount) {
            problems.add(where + ": a rate/increase without a range: " + expr);
        }
        Matcher metrics = METRIC.matcher(expr);
        while (metrics.find()) {
            int after = metrics.end();
            if (after >= expr.length() || expr.charAt(after) != '{') {
                problems.add(where + ": " + metrics.group(1) + " without a {job=~\"$job\", instance=~\"$instance\"}"
                        + " selector: " + expr);
                continue;
            }
            String selector = expr.substring(after, expr.indexOf('}', after));
            if (!selector.contains("job=~\"$job\"") || !selector.contains("instance=~\"$instance\"")) {
                problems.add(where + ": " + metrics.group(1) + " not filtered by job=~\"$job\" and "
                        + "instance=~\"$instance\": " + expr);
            }
        }
        return problems;
    }

    @Test
    void provisioningPointsGrafanaAndPrometheusAtTheseFiles() throws Exception {
        String datasource = Files.readString(dashboards.resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasource).contains("apiVersion: 1").contains("type: prometheus")
                .contains("url: http://localhost:9090");
        String provider = Files.readString(dashboards.resolve("grafana/provisioning/dashboards/tls-agent.yml"));
        assertThat(provider).contains("apiVersion: 1").contains("type: file").containsPattern("path: \\S+");
        String prometheus = Files.readString(dashboards.resolve("prometheus/prometheus.yml"));
        assertThat(prometheus).contains("localhost:9464").containsPattern("rule_files:\\s*\\n\\s*- alerts.yml");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Every expression against a real Prometheus scraping the demo with the agent

    @Test
    void everyPanelVariableAndAlertReturnsDataFromARealPrometheus() throws Exception {
        Path run = Files.createDirectories(work.resolve("demo"));
        // The demo's stdout is the agent's JSON lines, thousands a second: not kept.
        ForkedJvm demo = ForkedJvm.jar(run, Paths.get(System.getProperty("tlsagent.demo.jar"))).agentArgs("log=stdout")
                .discardStdout().stderrTo(run.resolve("demo.stderr.txt")).args("--rate", "0", "--duration", "150")
                .start();
        forks.add(demo);
        proveWithPrometheus(run, demo, URI.create("http://127.0.0.1:" + demo.metricsPort + "/metrics"));
    }

    /**
     * The same on a Spring Boot application's own scrape: the Spring Boot 4 application of compat-tests/apps (HTTPS on
     * its embedded Tomcat, the actuator, micrometer-registry-prometheus) with the demo's workload in its JVM
     * ({@link BootWithDemo}) and the agent's {@code metrics=app}; Prometheus scrapes {@code /actuator/prometheus} over
     * HTTPS. The dashboard's variables and panels, and the alerts, work there too.
     */
    @Test
    void everyPanelVariableAndAlertReturnsDataScrapingSpringBootActuator() throws Exception {
        Path run = Files.createDirectories(work.resolve("spring-boot"));
        Path keystore = run.resolve("server.p12");
        assertSucceeds(run(run, Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit"));
        Path app = Paths.get(System.getProperty("tlsagent.springboot.app",
                "../compat-tests/apps/spring-boot-4/target")).toAbsolutePath().normalize();
        assertThat(app.resolve("classpath.txt")).as("built by compat-tests/apps/spring-boot-4").isRegularFile();
        List<String> classPath = new ArrayList<>(List.of(app.resolve("classes").toString(),
                System.getProperty("tlsagent.demo.jar"), ClassPath.entryOf(BootWithDemo.class)));
        classPath.addAll(Arrays.asList(Files.readString(app.resolve("classpath.txt")).trim()
                .split(File.pathSeparator)));
        int port = ForkedJvm.freePort();
        ForkedJvm boot = ForkedJvm.builder(run, BootWithDemo.class).classPath(ClassPath.of(classPath))
                .agentArgs("metrics=app,log=off").discardStdout().stderrTo(run.resolve("app.stderr.txt"))
                .args("--server.port=" + port, "--server.address=127.0.0.1", "--server.ssl.key-store=file:" + keystore,
                        "--server.ssl.key-store-password=changeit", "--", "--rate", "0", "--duration", "150")
                .start();
        forks.add(boot);
        proveWithPrometheus(run, boot, URI.create("https://127.0.0.1:" + port + "/actuator/prometheus"));
    }

    /**
     * Prometheus, with the repository's prometheus.yml and alerts.yml pointed at {@code scrapeUri} and scraping every
     * second; then every expression of the dashboard and the alerts, evaluated there until each returns data.
     */
    private static void proveWithPrometheus(Path run, ForkedJvm demo, URI scrapeUri) throws Exception {
        long start = System.nanoTime();
        String promtool = tool("promtool");
        String prometheus = tool("prometheus");
        int prometheusPort = ForkedJvm.freePort();
        String scrapeTarget = scrapeUri.getHost() + ":" + scrapeUri.getPort();

        Path config = run.resolve("prometheus");
        Files.createDirectories(config);
        String yml = Files.readString(dashboards.resolve("prometheus/prometheus.yml"));
        String scrapeSettings = "metrics_path: " + scrapeUri.getPath() + (scrapeUri.getScheme().equals("https")
                ? "\n    scheme: https\n    tls_config:\n      insecure_skip_verify: true" : "");
        String generated = yml.replace("localhost:9464", scrapeTarget)
                .replace("metrics_path: /metrics", scrapeSettings)
                .replaceAll("scrape_interval: \\S+", "scrape_interval: 1s")
                .replaceAll("evaluation_interval: \\S+", "evaluation_interval: 1s");
        assertThat(generated).contains(scrapeTarget).contains(scrapeSettings).contains("scrape_interval: 1s");
        Files.writeString(config.resolve("prometheus.yml"), generated);
        Files.copy(dashboards.resolve("prometheus/alerts.yml"), config.resolve("alerts.yml"));
        Process prometheusProcess = start(run.resolve("prometheus.log"), prometheus,
                "--config.file=" + config.resolve("prometheus.yml"), "--storage.tsdb.path=" + config.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn");
        String api = "http://127.0.0.1:" + prometheusPort;

        // The scrape: promtool's lint passes on the agent's families (an application's own meters are not the agent's
        // to lint), and it tells which metrics the agent exports.
        Scrape scrape = awaitScrape(scrapeUri, demo);
        Files.writeString(run.resolve("scrape.txt"), scrape.text);
        ProcessResult lint = runWithInput(run, tlsFamilies(scrape.text), promtool, "check", "metrics");
        assertSucceeds(lint);
        Set<String> exported = scrape.names();
        log("the agent exports " + new TreeSet<>(exported));

        // Which names the README documents (histograms also as _bucket, _count, _sum, _max).
        Map<String, String> documented = documentedMetrics();
        Set<String> allowed = new TreeSet<>();
        documented.forEach((name, type) -> {
            allowed.add(name);
            if (type.equals("histogram")) {
                HISTOGRAM_SUFFIXES.forEach(s -> allowed.add(name + s));
            }
        });

        awaitReady(api, demo);
        Map<String, String> labels = awaitAgentTarget(api, demo);
        log(run.getFileName() + ": Prometheus sees it as " + labels + " after " + seconds(start) + " s");

        // The checks: dashboard targets and variables, alert rules as Prometheus loaded them.
        List<Check> checks = new ArrayList<>();
        JsonNode dashboard = JSON.readTree(dashboards.resolve("grafana/tls-handshakes.json").toFile());
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                checks.add(variableCheck(v, labels));
            }
        }
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                checks.add(new Check("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        substitute(expr, labels), metricsIn(expr), null));
            }
        }
        List<JsonNode> rules = awaitRules(api, dashboards.resolve("prometheus/alerts.yml"));
        for (JsonNode rule : rules) {
            String query = rule.path("query").asText();
            String condition = leftOfComparison(query);
            assertThat(condition).as("alert %s is a comparison (value <op> threshold)", rule.path("name").asText())
                    .isNotEqualTo(query);
            checks.add(new Check("alert " + rule.path("name").asText(), condition, metricsIn(query), query));
            assertThat(rule.path("labels").path("severity").asText()).as("severity of %s", rule.path("name"))
                    .isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as("summary of %s", rule.path("name"))
                    .isNotEmpty();
            assertThat(rule.path("annotations").path("description").asText()).isNotEmpty();
        }

        // Metric names: documented (or coming and not exported yet: skipped), and exported by the agent.
        Set<String> used = new TreeSet<>();
        checks.forEach(c -> used.addAll(c.metrics));
        List<String> skipped = new ArrayList<>();
        List<String> nameProblems = new ArrayList<>();
        for (Check c : checks) {
            for (String metric : c.metrics) {
                String base = baseName(metric);
                if (!exported.contains(metric) && COMING.contains(base)) {
                    c.skipReason = "the agent does not export " + base + " yet";
                } else if (!allowed.contains(metric)) {
                    nameProblems.add(c.name + " uses " + metric + ", which the README's metrics table does not "
                            + "document");
                } else if (!exported.contains(metric)) {
                    nameProblems.add(c.name + " uses " + metric + ", which the agent's scrape lacks (an agent jar "
                            + "older than the README, " + System.getProperty("tlsagent.test.jar")
                            + "? or the demo never makes it?)");
                }
            }
            if (c.skipReason != null) {
                skipped.add(c.name + ": " + c.skipReason);
            }
        }
        for (String name : documented.keySet()) {
            if (used.stream().noneMatch(u -> u.equals(name) || baseName(u).equals(name))) {
                nameProblems.add("the README documents " + name + ", which no panel or alert shows: give it a panel");
            }
        }
        assertThat(nameProblems).as("metric names").isEmpty();

        // Evaluate until every expression returns data (series appear as the demo's scenarios come round, and a
        // rate needs two scrapes), within the deadline; then report what still does not.
        long dataStart = System.nanoTime();
        long deadline = dataStart + DATA_DEADLINE.toNanos();
        List<Check> pending = checks.stream().filter(c -> c.skipReason == null).collect(Collectors.toList());
        while (true) {
            for (Iterator<Check> it = pending.iterator(); it.hasNext(); ) {
                Check c = it.next();
                c.lastProblem = evaluate(api, c);
                if (c.lastProblem == null) {
                    it.remove();
                }
            }
            if (pending.isEmpty() || System.nanoTime() > deadline || !demo.isAlive()) {
                break;
            }
            Thread.sleep(1000);
        }
        log(checks.size() + " expressions (" + (checks.size() - skipped.size()) + " evaluated, " + skipped.size()
                + " skipped); all returned data after " + seconds(dataStart) + " s of polling, "
                + seconds(start) + " s since the start");
        if (!skipped.isEmpty()) {
            log("SKIPPED, because the agent does not export their metric yet (they will be checked once it does):\n    "
                    + String.join("\n    ", skipped));
        }
        // The skipped ones must still parse (no data is all they may lack).
        for (Check c : checks) {
            if (c.skipReason != null) {
                for (String expr : c.condition != null ? List.of(c.expr, c.condition) : List.of(c.expr)) {
                    JsonNode response = query(api, expr);
                    assertThat(response.path("status").asText()).as("%s parses: %s %s", c.name,
                            response.path("error").asText(), expr).isEqualTo("success");
                }
            }
        }
        for (Check c : checks) {
            if (c.condition != null && c.skipReason == null) {
                log(c.name + ": its value has data and its condition parses; firing on the demo now: "
                        + (hasData(query(api, c.condition)) ? "yes" : "no"));
            }
        }
        assertThat(demo.isAlive()).as("the demo is still running (see %s)", run).isTrue();
        assertThat(pending.stream().map(c -> c.name + ": " + c.lastProblem + "\n      " + c.expr)
                .collect(Collectors.toList())).as("expressions without data after %s s", DATA_DEADLINE.getSeconds())
                .isEmpty();
        log(run.getFileName() + ": the Prometheus part took " + seconds(start) + " s");
        // The next test's JVMs get the machine to themselves.
        demo.close();
        prometheusProcess.destroy();
        prometheusProcess.waitFor(10, TimeUnit.SECONDS);
    }

    /** A query variable's label_values(metric{...}, label) as PromQL: count by (label) (metric{...}). */
    private static Check variableCheck(JsonNode variable, Map<String, String> labels) {
        String query = variableQuery(variable);
        Matcher m = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\s*\\)$").matcher(query.trim());
        assertThat(m.matches()).as("variable %s: label_values(selector, label), not %s", variable.path("name"), query)
                .isTrue();
        String promql = "count by (" + m.group(2) + ") (" + m.group(1) + ")";
        return new Check("variable $" + variable.path("name").asText(), substitute(promql, labels),
                metricsIn(query), null);
    }

    private static String variableQuery(JsonNode variable) {
        JsonNode q = variable.path("query");
        return q.isTextual() ? q.asText() : q.path("query").asText();
    }

    /** Grafana's variables as a dashboard user sees the demo: its job and instance, all roles. */
    private static String substitute(String expr, Map<String, String> labels) {
        String s = expr.replace("$__rate_interval", RATE_INTERVAL)
                .replace("$__interval", "15s")
                .replace("$__range", "5m")
                .replace("$job", regexLiteral(labels.get("job")))
                .replace("$instance", regexLiteral(labels.get("instance")))
                .replace("$role", ".*");
        assertThat(s).as("a Grafana variable this test does not know, in %s", expr).doesNotContain("$");
        return s;
    }

    /** A label value as a regex matching only itself, inside a PromQL double-quoted string. */
    private static String regexLiteral(String value) {
        StringBuilder s = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (".+*?()[]{}|^$\\".indexOf(c) >= 0) {
                s.append("\\\\");
            }
            s.append(c);
        }
        return s.toString();
    }

    /**
     * The value an alert compares: the expression before its first comparison operator outside parentheses,
     * braces, brackets and strings ({@code a / b > 0.05} gives {@code a / b}); the expression itself if it has none.
     */
    static String leftOfComparison(String expr) {
        int depth = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                for (i++; i < expr.length() && expr.charAt(i) != c; i++) {
                    if (expr.charAt(i) == '\\' && c != '`') {
                        i++;
                    }
                }
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (depth == 0 && (c == '>' || c == '<'
                    || (c == '=' || c == '!') && i + 1 < expr.length() && expr.charAt(i + 1) == '=')) {
                return expr.substring(0, i).trim();
            }
        }
        return expr;
    }

    /** Null when the expression parses and returns at least one finite value; else what is wrong. */
    private static String evaluate(String api, Check c) {
        try {
            JsonNode response = query(api, c.expr);
            if (!response.path("status").asText().equals("success")) {
                return "Prometheus says " + response.path("errorType").asText() + ": "
                        + response.path("error").asText();
            }
            if (c.condition != null) {
                JsonNode full = query(api, c.condition);
                if (!full.path("status").asText().equals("success")) {
                    return "the condition does not parse: " + full.path("error").asText();
                }
            }
            return hasData(response) ? null : "no data (" + response.path("data").path("result").size()
                    + " series, none with a finite value)";
        } catch (IOException e) {
            return "query failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static boolean hasData(JsonNode response) {
        JsonNode data = response.path("data");
        JsonNode result = data.path("result");
        if (data.path("resultType").asText().equals("scalar")) {
            return isFinite(result.path(1).asText());
        }
        for (JsonNode series : result) {
            if (isFinite(series.path("value").path(1).asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFinite(String value) {
        try {
            return Double.isFinite(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static JsonNode query(String api, String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /**
     * A scrape of the agent once the demo has made {@value #SCRAPE_AFTER_CLIENT_HANDSHAKES} client handshakes: by
     * then every scenario of its deterministic mix has come round at least twice, so every metric the agent exports
     * for this workload is in it.
     */
    private static Scrape awaitScrape(URI uri, ForkedJvm demo) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SCRAPE_DEADLINE_SECONDS);
        HttpClient client = uri.getScheme().equals("https") ? HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2)).sslContext(trustingAnyCertificate()).build() : HTTP;
        double clientHandshakes = 0;
        while (System.nanoTime() < deadline && demo.isAlive()) {
            try {
                Scrape scrape = new Scrape(client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
                clientHandshakes = scrape.sum("tls_handshakes_total", l -> "client".equals(l.get("role")));
                if (clientHandshakes >= SCRAPE_AFTER_CLIENT_HANDSHAKES) {
                    return scrape;
                }
            } catch (IOException notYet) {
                // the endpoint starts with the JVM
            }
            Thread.sleep(200);
        }
        return fail("the demo at %s made %s client handshakes within %d s, not %d (alive: %s; see %s)", uri,
                clientHandshakes, SCRAPE_DEADLINE_SECONDS, SCRAPE_AFTER_CLIENT_HANDSHAKES, demo.isAlive(), work);
    }

    /** For the scrape of the Spring Boot application's self-signed HTTPS endpoint on loopback (as Prometheus does). */
    private static SSLContext trustingAnyCertificate() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("client side only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the test's own self-signed certificate on loopback
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    /** The tls_* families of a scrape (HELP, TYPE and samples). */
    private static String tlsFamilies(String scrape) {
        StringBuilder families = new StringBuilder();
        for (String line : scrape.split("\n")) {
            String metric = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
            if (metric.startsWith("tls_")) {
                families.append(line).append('\n');
            }
        }
        return families.toString();
    }

    private static void awaitReady(String api, ForkedJvm demo) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(api + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        fail("Prometheus not ready within 30 s (see its log in %s)", work);
    }

    /** The job and instance labels Prometheus gives the demo's series, once it has scraped it. */
    private static Map<String, String> awaitAgentTarget(String api, ForkedJvm demo) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && demo.isAlive()) {
            JsonNode result = query(api, "count by (job, instance) (tls_handshakes_total)").path("data").path("result");
            if (result.size() == 1) {
                JsonNode metric = result.get(0).path("metric");
                Map<String, String> labels = new TreeMap<>();
                labels.put("job", metric.path("job").asText());
                labels.put("instance", metric.path("instance").asText());
                return labels;
            }
            assertThat(result.size()).as("one scraped agent").isLessThanOrEqualTo(1);
            Thread.sleep(500);
        }
        return fail("Prometheus has no tls_handshakes_total from the demo within 30 s (see its log in %s)", work);
    }

    /** The alerting rules as Prometheus loaded them: as many as alerts.yml has. */
    private static List<JsonNode> awaitRules(String api, Path alertsYml) throws Exception {
        int expected = alertNames(Files.readString(alertsYml)).size();
        assertThat(expected).isGreaterThan(0);
        List<JsonNode> rules = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (rules.size() < expected && System.nanoTime() < deadline) {
            rules.clear();
            JsonNode groups = JSON.readTree(HTTP.send(HttpRequest.newBuilder(
                    URI.create(api + "/api/v1/rules?type=alert")).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).path("data").path("groups");
            for (JsonNode group : groups) {
                group.path("rules").forEach(rules::add);
            }
            if (rules.size() < expected) {
                Thread.sleep(300);
            }
        }
        assertThat(rules).as("alerting rules loaded by Prometheus").hasSize(expected);
        return rules;
    }

    private static List<String> alertNames(String alertsYml) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*-\\s*alert:\\s*(\\S+)").matcher(alertsYml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The README's metrics table: name to type. */
    private static Map<String, String> documentedMetrics() throws IOException {
        Path readme = Paths.get(System.getProperty("tlsagent.readme", "../README.md"));
        Map<String, String> documented = new TreeMap<>();
        Matcher m = README_ROW.matcher(Files.readString(readme));
        while (m.find()) {
            documented.put(m.group(1), m.group(2));
        }
        assertThat(documented).as("metrics in the README's table").containsKey("tls_handshakes_total");
        return documented;
    }

    private static String baseName(String metric) {
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (metric.endsWith(suffix)) {
                return metric.substring(0, metric.length() - suffix.length());
            }
        }
        return metric;
    }

    private static Set<String> metricsIn(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add); // collapsed rows keep their panels inside
        }
        return all;
    }

    private static boolean isDatasourceVariable(JsonNode datasource) {
        return datasource.path("type").asText().equals("prometheus")
                && datasource.path("uid").asText().equals("${datasource}");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** An expression to evaluate; for an alert, also its whole condition, which must parse. */
    private static final class Check {
        final String name;
        final String expr;
        final Set<String> metrics;
        final String condition;
        String skipReason;
        String lastProblem;

        Check(String name, String expr, Set<String> metrics, String condition) {
            this.name = name;
            this.expr = expr;
            this.metrics = metrics;
            this.condition = condition;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Processes

    private static String tool(String name) {
        String dir = System.getProperty("tlsagent.prometheus.bin");
        List<String> path = new ArrayList<>();
        if (dir != null) {
            path.add(dir);
        }
        path.addAll(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        for (String p : path) {
            Path candidate = Paths.get(p, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("%s not found on the PATH: install Prometheus (Debian: apt-get install prometheus, which brings "
                + "promtool; .ci/run does it) or point -Dtlsagent.prometheus.bin at its directory", name);
    }

    private static Process start(Path output, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(output.toFile()).start();
        started.add(p);
        return p;
    }

    private static final class ProcessResult {
        final List<String> command;
        final int exit;
        final String output;

        ProcessResult(List<String> command, int exit, String output) {
            this.command = command;
            this.exit = exit;
            this.output = output;
        }
    }

    private static ProcessResult run(Path dir, String... command) throws Exception {
        return runWithInput(dir, null, command);
    }

    private static ProcessResult runWithInput(Path dir, String stdin, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ends", Arrays.toString(command)).isTrue();
        log("$ " + String.join(" ", command) + " (exit " + p.exitValue() + ")"
                + (output.isBlank() ? "" : "\n    " + output.strip().replace("\n", "\n    ")));
        return new ProcessResult(Arrays.asList(command), p.exitValue(), output);
    }

    private static void assertSucceeds(ProcessResult r) {
        assertThat(r.exit).as("%s exit status; output:\n%s", r.command, r.output).isZero();
    }

    private static String seconds(long sinceNanos) {
        return String.format("%.1f", (System.nanoTime() - sinceNanos) / 1e9);
    }

    private static void log(String line) {
        System.out.println("[DashboardsIT] " + line);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
