package io.tlsagent.cli.report;

import io.tlsagent.anatomy.KeyExchangeGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "post-quantum readiness" section: successful handshakes by server name, and by client (its JA4 together with
 * the groups it offered, since JA4 leaves the group values out), counted as post-quantum negotiated, post-quantum
 * offered but a classical group negotiated, neither, or cannot tell (no group and no ClientHello logged). With
 * {@code --what-if groups=...}, what each client would get from a server that supports those groups.
 *
 * <p>A summary line names its ClientHello's kind ({@code tls_agent.client_hello.id}) instead of listing it: its
 * offered groups are those of the full line of that kind, learned as full lines go by; a summary read before any
 * full line of its kind (files given newest first) waits until the end.
 */
final class PostQuantumReadiness {

    /** One server name or one client, as counts of the four outcomes. */
    static final class Row {
        final String by;
        final String key;
        final String role;
        final List<String> offeredGroups;
        final long[] counts = new long[4];
        long lastSeen = Long.MIN_VALUE;

        Row(String by, String key, String role, List<String> offeredGroups) {
            this.by = by;
            this.key = key;
            this.role = role;
            this.offeredGroups = offeredGroups;
        }

        long total() {
            return counts[0] + counts[1] + counts[2] + counts[3];
        }
    }

    private static final int NEGOTIATED = 0;
    private static final int OFFERED = 1;
    private static final int NEITHER = 2;
    private static final int CANNOT_TELL = 3;

    private final int maxKeys;
    private final CappedMap<Row> serverNames;
    private final CappedMap<Row> clients;
    /** The groups each kind of ClientHello offered, as full lines list them. */
    private final Map<String, List<String>> groupsByHello = new HashMap<>();
    /** Summary lines read before any full line of their ClientHello's kind, by everything they count by. */
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();

    /** Summary lines that wait for their ClientHello's groups: one handshake's keys, and how many and when. */
    private static final class Waiting {
        final String role;
        final String serverName;
        final String ja4;
        final String curve;
        final String helloId;
        long count;
        long lastSeen = Long.MIN_VALUE;

        Waiting(Handshake h) {
            role = h.role;
            serverName = h.serverName;
            ja4 = h.ja4;
            curve = h.curve;
            helloId = h.clientHelloId;
        }
    }

    PostQuantumReadiness(int maxKeys) {
        this.maxKeys = maxKeys;
        serverNames = new CappedMap<>(maxKeys);
        clients = new CappedMap<>(maxKeys);
    }

    void add(Handshake h) {
        if (!h.success) {
            return;
        }
        List<String> groups = h.offeredGroups;
        if (h.clientHelloId != null) {
            if (!h.summary) {
                if (!groups.isEmpty() && groupsByHello.size() < maxKeys) {
                    groupsByHello.putIfAbsent(h.clientHelloId, List.copyOf(groups));
                }
            } else if (groups.isEmpty()) {
                groups = groupsByHello.get(h.clientHelloId);
                if (groups == null) {
                    if (wait(h)) {
                        return;
                    }
                    groups = List.of(); // too many waiting: counted as a line without groups
                }
            }
        }
        add(h.role, h.serverName, h.ja4, h.curve, groups, h.timestamp, 1);
    }

    private boolean wait(Handshake h) {
        String key = h.role + " " + h.serverName + " " + h.ja4 + " " + h.curve + " " + h.clientHelloId;
        Waiting w = waiting.get(key);
        if (w == null) {
            if (waiting.size() >= maxKeys) {
                return false;
            }
            w = new Waiting(h);
            waiting.put(key, w);
        }
        w.count++;
        w.lastSeen = Math.max(w.lastSeen, h.timestamp);
        return true;
    }

    /** After the last line: the summary lines that waited, with their kind's groups (none if no full line had it). */
    void finish() {
        for (Waiting w : waiting.values()) {
            add(w.role, w.serverName, w.ja4, w.curve, groupsByHello.getOrDefault(w.helloId, List.of()), w.lastSeen,
                    w.count);
        }
        waiting.clear();
    }

    private void add(String role, String serverName, String ja4OrNull, String curve, List<String> offeredGroups,
            long timestamp, long n) {
        int outcome = outcome(curve, offeredGroups);
        String sni = serverName == null ? Report.NO_SNI : serverName;
        count(serverNames.get(role + " " + sni, k -> new Row("server_name", k.equals(CappedMap.OTHER) ? k : sni,
                k.equals(CappedMap.OTHER) ? k : role, List.of())), outcome, timestamp, n);
        String ja4 = ja4OrNull != null ? ja4OrNull : Report.NO_HELLO;
        List<String> groups = List.copyOf(offeredGroups);
        count(clients.get(role + " " + ja4 + " " + String.join(",", groups), k -> k.equals(CappedMap.OTHER)
                ? new Row("client", k, k, List.of()) : new Row("client", ja4, role, groups)), outcome, timestamp, n);
    }

    private static int outcome(String curve, List<String> offeredGroups) {
        if (KeyExchangeGroups.isPostQuantum(curve)) {
            return NEGOTIATED;
        }
        if (offeredGroups.stream().anyMatch(KeyExchangeGroups::isPostQuantum)) {
            return OFFERED;
        }
        return curve != null || !offeredGroups.isEmpty() ? NEITHER : CANNOT_TELL;
    }

    private static void count(Row row, int outcome, long timestamp, long n) {
        row.counts[outcome] += n;
        row.lastSeen = Math.max(row.lastSeen, timestamp);
    }

    /** The section; {@code whatIfGroups} (may be null) adds what each client would get from such a server. */
    Section section(List<String> whatIfGroups) {
        List<String> columns = new ArrayList<>(List.of("by", "BY", "key", "SERVER NAME / CLIENT (JA4)", "role", "ROLE",
                "offered_groups", "GROUPS OFFERED", "pq_negotiated", "PQ NEGOTIATED", "pq_offered_only",
                "PQ OFFERED ONLY", "neither", "NEITHER", "cannot_tell", "CANNOT TELL", "last_seen", "LAST SEEN"));
        if (whatIfGroups != null) {
            columns.addAll(List.of("what_if", "WHAT IF GROUPS=" + String.join(",", whatIfGroups)));
        }
        Section s = new Section("post_quantum", "Post-quantum readiness (key-exchange group, successful handshakes)",
                columns.toArray(new String[0]));
        List<Row> rows = new ArrayList<>(serverNames.values());
        List<Row> clientRows = new ArrayList<>(clients.values());
        // Ties in the order of role and groups, not of the lines read: the same logs in any order, the same section.
        Comparator<Row> order = Comparator.comparingLong((Row r) -> -r.total()).thenComparing(r -> r.key)
                .thenComparing(r -> r.role).thenComparing(r -> String.join(",", r.offeredGroups));
        rows.sort(order);
        clientRows.sort(order);
        rows.addAll(clientRows);
        for (Row r : rows) {
            List<Object> values = new ArrayList<>(List.of(r.by, r.key, r.role, r.offeredGroups, r.counts[NEGOTIATED],
                    r.counts[OFFERED], r.counts[NEITHER], r.counts[CANNOT_TELL], Sections.time(r.lastSeen)));
            if (whatIfGroups != null) {
                values.add(r.by.equals("client") && !r.key.equals(CappedMap.OTHER) ? whatIf(r, whatIfGroups) : "");
            }
            s.row(values.toArray());
        }
        s.note("pq_negotiated: a post-quantum group (X25519MLKEM768 and the other ML-KEM hybrids, the retired Kyber"
                + " drafts, ML-KEM) was negotiated; pq_offered_only: the ClientHello offered one and a classical group"
                + " was negotiated (e.g. a JDK server, which has no ML-KEM yet); neither: classical only;"
                + " cannot_tell: the log has no group and no ClientHello for it (a key-exchange group is logged for"
                + " SunJSSE's handshakes only).");
        if (whatIfGroups != null) {
            s.note("what_if: \"post-quantum\" when the client offered a post-quantum group among these (a server"
                    + " preferring it negotiates it), \"classical\" when only classical ones are in common, \"fails\""
                    + " when none is, \"cannot tell\" when no ClientHello with groups was logged.");
        }
        return s;
    }

    /** What this client would get from a server that supports {@code groups}. */
    static String whatIf(Row client, List<String> groups) {
        if (client.offeredGroups.isEmpty()) {
            return "cannot tell";
        }
        String classical = null;
        for (String offered : client.offeredGroups) {
            if (groups.stream().anyMatch(g -> g.equalsIgnoreCase(offered))) {
                if (KeyExchangeGroups.isPostQuantum(offered)) {
                    return "post-quantum (" + offered + ")";
                }
                if (classical == null) {
                    classical = offered;
                }
            }
        }
        return classical != null ? "classical (" + classical + ")" : "fails (no group in common)";
    }
}
