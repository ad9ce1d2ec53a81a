package io.tlsagent.cli.report;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the aggregated {@link Report} into the sections both renderings print. */
final class Sections {

    static final String CAVEAT = "The log shows what each client offered (when its ClientHello was seen, on either"
            + " side) and what was negotiated; it does not show the server's own preferences. \"falls back\" means"
            + " the client offered an allowed version and cipher suite, so it connects if the server supports one"
            + " of them; \"fails\" means it offered none; \"cannot tell\" means no ClientHello was logged for it.";

    private Sections() {}

    static Map<String, Object> summary(Report r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("text1", "tls-agent report: " + r.records + " handshake records (" + r.successes + " succeeded, "
                + r.failures + " failed) from " + r.lines + " lines in " + String.join(", ", r.inputs));
        if (r.records > 0) {
            s.put("text2", "  from " + time(r.first) + " to " + time(r.last));
        }
        long skipped = r.lines - r.records;
        s.put("text3", "  skipped lines: " + skipped + (skipped == 0 ? "" : " " + r.skipped));
        if (!r.readErrors.isEmpty()) {
            s.put("text4", "  read errors: " + String.join("; ", r.readErrors));
        }
        s.put("inputs", r.inputs);
        s.put("lines", r.lines);
        s.put("records", r.records);
        s.put("succeeded", r.successes);
        s.put("failed", r.failures);
        s.put("first", r.records > 0 ? time(r.first) : null);
        s.put("last", r.records > 0 ? time(r.last) : null);
        s.put("skipped", r.skipped);
        s.put("read_errors", r.readErrors);
        return s;
    }

    static List<Section> build(Report r, Policy denyList, boolean denyListGiven, Policy whatIf, String whatIfText,
            List<String> whatIfGroups) {
        List<Section> sections = new ArrayList<>();
        sections.add(versions(r));
        sections.add(byServerName(r));
        sections.add(byClient(r));
        sections.add(belowVersions(r));
        sections.add(denied(r, denyList, denyListGiven));
        sections.add(expiring(r));
        sections.add(failures(r));
        sections.add(r.postQuantum.section(whatIfGroups));
        if (whatIf != null) {
            sections.add(whatIf(r, whatIf, whatIfText));
        }
        sections.add(limits(r));
        return sections;
    }

    private static Section versions(Report r) {
        Section s = new Section("versions", "Protocol versions negotiated (successful handshakes)",
                "version", "VERSION", "count", "COUNT", "share", "SHARE", "last_seen", "LAST SEEN");
        r.versions.entries().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Report.Tally> e) -> -TlsVersions.rank(e.getKey()))
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> s.row(e.getKey(), e.getValue().count,
                        String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * e.getValue().count / r.successes),
                        time(e.getValue().lastSeen)));
        return s;
    }

    private static Section byServerName(Report r) {
        Section s = new Section("by_server_name", "Negotiated, by server name (SNI the client asked for)",
                "server_name", "SERVER NAME", "role", "ROLE", "version", "VERSION", "cipher", "CIPHER SUITE",
                "count", "COUNT", "last_seen", "LAST SEEN");
        List<Object[]> rows = new ArrayList<>();
        r.serverNames.entries().forEach((name, n) -> n.combos.entries().forEach((combo, t) -> {
            String[] parts = split3(combo);
            rows.add(new Object[] {name, parts[0], parts[1], parts[2], t.count, time(t.lastSeen)});
        }));
        rows.sort(byCountThenKey(4));
        s.rows.addAll(rows);
        s.note("role: \"server\" means this JVM served the name; \"client\" means this JVM asked a server for it.");
        return s;
    }

    private static Section byClient(Report r) {
        Section s = new Section("by_client", "Negotiated, by client fingerprint (JA4 of the ClientHello)",
                "ja4", "CLIENT (JA4)", "highest_offered", "HIGHEST OFFERED", "version", "VERSION", "cipher",
                "CIPHER SUITE", "count", "COUNT", "last_seen", "LAST SEEN");
        List<Object[]> rows = new ArrayList<>();
        r.clients.entries().forEach((ja4, c) -> c.negotiated.combos.entries().forEach((combo, t) -> {
            String[] parts = split2(combo);
            rows.add(new Object[] {ja4, highest(c), parts[0], parts[1], t.count, time(t.lastSeen)});
        }));
        rows.sort(byCountThenKey(4));
        s.rows.addAll(rows);
        s.note("Records of role server carry the remote client's ClientHello; records of role client carry this"
                + " JVM's own.");
        return s;
    }

    private static Section belowVersions(Report r) {
        Section s = new Section("below_tls13", "Clients whose highest offered version is below TLS 1.3",
                "ja4", "CLIENT (JA4)", "highest_offered", "HIGHEST OFFERED", "below_tls12", "BELOW TLS 1.2",
                "handshakes", "HANDSHAKES", "last_seen", "LAST SEEN", "seen_from", "SEEN FROM");
        List<Object[]> rows = new ArrayList<>();
        long below12 = 0;
        for (Report.Client c : r.clients.values()) {
            int highest = TlsVersions.highest(c.offeredVersions);
            if (!c.helloSeen || highest < 0 || highest >= TlsVersions.TLS13) {
                continue;
            }
            boolean old = highest < TlsVersions.TLS12;
            below12 += old ? 1 : 0;
            rows.add(new Object[] {c.ja4, TlsVersions.name(highest), old ? "yes" : "no", c.handshakes.count,
                    time(c.handshakes.lastSeen), seenFrom(c)});
        }
        rows.sort(byCountThenKey(3));
        s.rows.addAll(rows);
        s.note(rows.size() + " clients below TLS 1.3, of which " + below12 + " below TLS 1.2.");
        if (r.withoutHello > 0) {
            s.note(r.withoutHello + " handshakes have no ClientHello in the log (another TLS provider, or it was not"
                    + " seen); their clients cannot be judged here.");
        }
        return s;
    }

    private static Section denied(Report r, Policy deny, boolean given) {
        Section s = new Section("denied_ciphers", "Clients that negotiated a denied cipher suite (deny list: "
                + String.join(",", deny.denied) + (given ? "" : ", the default") + ")",
                "ja4", "CLIENT (JA4)", "negotiated", "NEGOTIATED (DENIED)", "handshakes", "HANDSHAKES",
                "alternative", "OFFERED AN ALLOWED ALTERNATIVE", "alternatives", "ALTERNATIVES",
                "seen_from", "SEEN FROM");
        List<Object[]> rows = new ArrayList<>();
        for (Report.Client c : r.clients.values()) {
            Verdict v = Verdict.judge(c, deny);
            if (v.disallowed.isEmpty()) {
                continue;
            }
            String alternative = v.outcome == Verdict.Outcome.FALLS_BACK ? "yes"
                    : v.outcome == Verdict.Outcome.FAILS ? "no" : "unknown (no ClientHello logged)";
            rows.add(new Object[] {c.ja4, v.disallowed, c.handshakes.count, alternative, v.alternatives,
                    seenFrom(c)});
        }
        rows.sort(byCountThenKey(2));
        s.rows.addAll(rows);
        s.extra.put("deny_list", deny.denied);
        s.note("--what-if deny-ciphers=A,B sets the list (IANA names, * as a wildcard).");
        return s;
    }

    private static Section expiring(Report r) {
        Section s = new Section("expiring_certificates", "Certificates seen that expire within " + r.expiringDays
                + " days (or have expired)", "subject", "SUBJECT", "not_after", "NOT AFTER", "days_left", "DAYS LEFT",
                "presented_by", "PRESENTED BY", "server_name", "SERVER NAME", "handshakes", "HANDSHAKES",
                "last_seen", "LAST SEEN", "sha256", "SHA-256");
        List<Object[]> rows = new ArrayList<>();
        for (Report.Certificate c : r.expiring.values()) {
            long days = Duration.between(r.now, c.notAfter).toDays();
            rows.add(new Object[] {c.subject, c.notAfter.toString(), days, c.presenter, c.serverName,
                    c.tally.count, time(c.tally.lastSeen), c.sha256});
        }
        rows.sort(Comparator.comparing((Object[] row) -> (String) row[1]).thenComparing(row -> (String) row[7]));
        s.rows.addAll(rows);
        s.extra.put("days", r.expiringDays);
        s.note("Leaf and chain certificates of both sides; days counted from " + time(r.now.toEpochMilli())
                + "; --expiring-days N sets the window.");
        if (r.unresolvedChains > 0) {
            s.note(r.unresolvedChains + " summary lines name certificate chains that no full line in these files"
                    + " lists (lines lost, or files missing): only their leaf certificates are counted.");
        }
        return s;
    }

    private static Section failures(Report r) {
        Section s = new Section("failures", "Failures, by error type and peer", "error_type", "ERROR TYPE", "role",
                "ROLE", "peer", "PEER", "count", "COUNT", "last_seen", "LAST SEEN", "example", "EXAMPLE MESSAGE");
        List<Object[]> rows = new ArrayList<>();
        for (Report.Failure f : r.failureGroups.values()) {
            rows.add(new Object[] {f.type, f.role, f.peer, f.tally.count, time(f.tally.lastSeen), f.example});
        }
        rows.sort(byCountThenKey(3));
        s.rows.addAll(rows);
        s.note("peer: the client's address when this JVM was the server, the server's address:port when it was"
                + " the client.");
        return s;
    }

    private static Section whatIf(Report r, Policy p, String text) {
        Section s = new Section("what_if", "What if " + text + "?", "ja4", "CLIENT (JA4)", "verdict", "VERDICT",
                "handshakes", "HANDSHAKES", "last_seen", "LAST SEEN", "seen_from", "SEEN FROM", "why", "WHY");
        Map<Verdict.Outcome, long[]> totals = new LinkedHashMap<>();
        for (Verdict.Outcome o : Verdict.Outcome.values()) {
            totals.put(o, new long[2]);
        }
        List<Object[]> rows = new ArrayList<>();
        for (Report.Client c : r.clients.values()) {
            Verdict v = Verdict.judge(c, p);
            long[] t = totals.get(v.outcome);
            t[0]++;
            t[1] += c.handshakes.count;
            rows.add(new Object[] {c.ja4, v.outcome.label, c.handshakes.count, time(c.handshakes.lastSeen),
                    seenFrom(c), v.reason, v.outcome.ordinal()});
        }
        rows.sort(Comparator.comparing((Object[] row) -> (Integer) row[6])
                .thenComparing(row -> -(Long) row[2]).thenComparing(row -> (String) row[0]));
        for (Object[] row : rows) {
            s.rows.add(java.util.Arrays.copyOf(row, 6));
        }
        List<String> parts = new ArrayList<>();
        Map<String, Object> json = new LinkedHashMap<>();
        totals.forEach((o, t) -> {
            parts.add(o.label + ": " + t[0] + " (" + t[1] + " handshakes)");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clients", t[0]);
            m.put("handshakes", t[1]);
            json.put(o.label, m);
        });
        s.extra.put("protocols", TlsVersions.names(p.allowedVersions));
        s.extra.put("deny_ciphers", p.denied);
        s.extra.put("totals", json);
        s.extra.put("caveat", CAVEAT);
        s.note("Clients by verdict: " + String.join("; ", parts) + ".");
        s.note(CAVEAT);
        return s;
    }

    private static Section limits(Report r) {
        Section s = new Section("limits", "Limits");
        s.note("Each table keeps at most " + r.maxKeys + " distinct keys (--max-keys); beyond that, handshakes"
                + " count under \"(other)\".");
        over(s, "server names", r.serverNames);
        over(s, "clients", r.clients);
        over(s, "failure groups", r.failureGroups);
        over(s, "expiring certificates", r.expiring);
        if (r.unindexedSuites > 0) {
            s.note("more than 1024 distinct offered cipher suite names; " + r.unindexedSuites
                    + " offered suites were not kept.");
        }
        return s;
    }

    private static void over(Section s, String what, CappedMap<?> map) {
        if (map.overflowedRecords() > 0) {
            s.note(what + ": about " + map.overflowedKeys() + " more distinct keys went to (other), with "
                    + map.overflowedRecords() + " handshakes.");
        }
    }

    /** Overflow counts for the JSON document, by table. */
    static Map<String, Object> overflow(Report r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("max_keys", (long) r.maxKeys);
        put(o, "server_names", r.serverNames);
        put(o, "clients", r.clients);
        put(o, "failure_groups", r.failureGroups);
        put(o, "expiring_certificates", r.expiring);
        return o;
    }

    private static void put(Map<String, Object> o, String name, CappedMap<?> map) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keys", (long) map.entries().size());
        m.put("overflowed_keys", map.overflowedKeys());
        m.put("overflowed_records", map.overflowedRecords());
        o.put(name, m);
    }

    private static String seenFrom(Report.Client c) {
        return String.join(", ", c.seenFrom) + (c.seenFromMore > 0 ? " and " + c.seenFromMore + " more" : "");
    }

    private static String highest(Report.Client c) {
        return c.helloSeen ? TlsVersions.name(TlsVersions.highest(c.offeredVersions)) : "-";
    }

    private static String[] split2(String combo) {
        int i = combo.indexOf(' ');
        return i < 0 ? new String[] {combo, combo} : new String[] {combo.substring(0, i), combo.substring(i + 1)};
    }

    private static String[] split3(String combo) {
        int i = combo.indexOf(' ');
        if (i < 0) {
            return new String[] {combo, combo, combo};
        }
        String[] rest = split2(combo.substring(i + 1));
        return new String[] {combo.substring(0, i), rest[0], rest[1]};
    }

    private static Comparator<Object[]> byCountThenKey(int countColumn) {
        return Comparator.comparing((Object[] row) -> -(Long) row[countColumn])
                .thenComparing(row -> String.valueOf(row[0])).thenComparing(row -> String.valueOf(row[1]))
                .thenComparing(row -> String.valueOf(row[2]));
    }

    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
