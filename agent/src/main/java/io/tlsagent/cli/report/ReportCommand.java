package io.tlsagent.cli.report;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * {@code java -jar tls-agent.jar report [options] <log.jsonl[.gz]>...}: reads the agent's JSON log lines and says
 * which versions and cipher suites are in use, by whom, and who would break under a planned change. Streams every
 * file once, in bounded memory. Exit code 0, 1 when an input could not be read, 2 on a usage error.
 */
public final class ReportCommand {

    static final String USAGE = String.join("\n",
            "usage: java -jar tls-agent.jar report [options] <log.jsonl | log.jsonl.gz | ->...",
            "  Reads tls-agent JSON log files (plain or gzip; - for stdin) and prints the versions and cipher",
            "  suites negotiated by server name and by client (JA4), clients below TLS 1.3 / 1.2, clients using",
            "  denied cipher suites, certificates about to expire, failures by error type and peer, and",
            "  post-quantum readiness (key-exchange group by server name and by client).",
            "options:",
            "  --what-if protocols=TLSv1.3[,...]  which clients would fail if only these versions were allowed",
            "  --what-if deny-ciphers=A,B         ... if these cipher suites were denied (IANA names, * wildcard);",
            "                                     also the deny list of the denied-cipher section (default:",
            "                                     " + Policy.WEAK_CIPHERS + ")",
            "  --what-if groups=X25519MLKEM768,x25519  what each client would get from a server with these",
            "                                     key-exchange groups (post-quantum, classical, fails)",
            "  --expiring-days N                  certificates expiring within N days (default 30)",
            "  --json                             one JSON document instead of tables",
            "  --top N                            rows per table (default 25; 0 for all; JSON has all)",
            "  --max-keys N                       distinct server names, clients, ... kept per table (default 10000)",
            "exit code: 0 ok, 1 an input could not be read or held no handshake line, 2 usage error");

    static final int MAX_LINE = 1 << 20;

    private ReportCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        int top = 25;
        long expiringDays = 30;
        int maxKeys = 10_000;
        Integer protocols = null;
        List<String> denied = null;
        List<String> groups = null;
        List<String> whatIf = new ArrayList<>();
        List<String> files = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--json":
                        json = true;
                        break;
                    case "--top":
                        top = nonNegative(a, value(args, ++i, a));
                        break;
                    case "--expiring-days":
                        expiringDays = nonNegative(a, value(args, ++i, a));
                        break;
                    case "--max-keys":
                        maxKeys = Math.max(1, nonNegative(a, value(args, ++i, a)));
                        break;
                    case "--what-if":
                        String w = value(args, ++i, a);
                        if (w.startsWith("protocols=")) {
                            protocols = versions(w.substring("protocols=".length()));
                        } else if (w.startsWith("deny-ciphers=")) {
                            denied = required(w.substring("deny-ciphers=".length()), "deny-ciphers");
                        } else if (w.startsWith("groups=")) {
                            groups = required(w.substring("groups=".length()), "groups");
                            break; // its own column in the post-quantum section
                        } else {
                            throw new UsageException("--what-if takes protocols=..., deny-ciphers=... or groups=...,"
                                    + " not " + w);
                        }
                        whatIf.add(w);
                        break;
                    case "-h":
                    case "--help":
                        out.println(USAGE);
                        return 0;
                    default:
                        if (a.startsWith("--")) {
                            throw new UsageException("unknown option " + a);
                        }
                        files.add(a);
                }
            }
            if (files.isEmpty()) {
                throw new UsageException("no log files given");
            }
        } catch (UsageException e) {
            err.println("tls-agent report: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        for (String f : files) {
            String unreadable = f.equals("-") ? null : whyUnreadable(Paths.get(f));
            if (unreadable != null) {
                err.println("tls-agent report: cannot read " + f + ": " + unreadable);
                return 1;
            }
        }
        Report report = new Report(maxKeys, Instant.now(), expiringDays);
        LineParser parser = new LineParser();
        Handshake h = new Handshake();
        for (String f : files) {
            report.inputs.add(f);
            try (InputStream in = open(f)) {
                LineReader lines = new LineReader(in, MAX_LINE);
                int length;
                while ((length = lines.next()) != LineReader.END) {
                    if (length == LineReader.TOO_LONG) {
                        report.skip("line longer than " + MAX_LINE + " bytes");
                    } else if (LineReader.blank(lines.bytes(), length)) {
                        report.skip("empty line");
                    } else {
                        String reason = parser.parse(lines.bytes(), length, h);
                        if (reason == null) {
                            report.add(h);
                        } else {
                            report.skip(reason);
                        }
                    }
                }
            } catch (IOException e) {
                report.readErrors.add(f + ": " + e.getMessage() + " (the lines before it are counted)");
            }
        }
        report.finish();
        if (report.records == 0) {
            err.println("tls-agent report: no handshake line in " + String.join(", ", files) + " (" + report.lines
                    + " lines" + (report.skipped.isEmpty() ? "" : ": " + report.skipped) + ")"
                    + (report.readErrors.isEmpty() ? "" : "; " + String.join("; ", report.readErrors)));
            return 1;
        }
        Policy denyList = new Policy(TlsVersions.ALL, denied != null ? denied : list(Policy.WEAK_CIPHERS));
        Policy planned = whatIf.isEmpty() ? null
                : new Policy(protocols != null ? protocols : TlsVersions.ALL, denied != null ? denied : List.of());
        List<Section> sections = Sections.build(report, denyList, denied != null, planned,
                String.join(" and ", whatIf), groups);
        Map<String, Object> summary = Sections.summary(report);
        summary.put("overflow", Sections.overflow(report));
        try {
            if (json) {
                Renderer.json(sections, summary, out);
            } else {
                Renderer.table(sections, summary, top, out);
            }
        } catch (IOException e) {
            err.println("tls-agent report: cannot write the report: " + e.getMessage());
            return 1;
        }
        out.flush();
        if (!report.readErrors.isEmpty()) {
            for (String e : report.readErrors) {
                err.println("tls-agent report: read error in " + e);
            }
            return 1;
        }
        return 0;
    }

    /** Why a file cannot be read (no such file, not a file, permission), or null when it can. */
    static String whyUnreadable(Path file) {
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (Files.isDirectory(file)) {
            return "it is a directory";
        }
        if (!Files.isReadable(file)) {
            return "permission denied";
        }
        return null;
    }

    /** A file or stdin, gunzipped when it starts with gzip's magic bytes (whatever its name). */
    static InputStream open(String name) throws IOException {
        InputStream raw = name.equals("-") ? System.in : Files.newInputStream(Path.of(name));
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int nonNegative(String option, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException(option + " takes a number >= 0, not " + value);
    }

    private static int versions(String value) throws UsageException {
        int mask = 0;
        for (String v : required(value, "protocols")) {
            String name = v.equals("TLSv1.0") ? "TLSv1" : v;
            int r = TlsVersions.rank(name);
            if (r < 0) {
                throw new UsageException("unknown protocol " + v + "; known: " + TlsVersions.ORDER);
            }
            mask |= 1 << r;
        }
        return mask;
    }

    private static List<String> required(String value, String what) throws UsageException {
        List<String> items = list(value);
        if (items.isEmpty()) {
            throw new UsageException(what + "= needs at least one value");
        }
        return items;
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                items.add(s.trim());
            }
        }
        return items;
    }

    /** A mistake in the command line. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
