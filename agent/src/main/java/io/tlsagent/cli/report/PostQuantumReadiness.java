package io.tlsagent.cli.report;

import io.tlsagent.anatomy.KeyExchangeGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The "post-quantum readiness" section: successful handshakes by server name, and by client (its JA4 together with
 * the groups it offered, since JA4 leaves the group values out), counted as post-quantum negotiated, post-quantum
 * offered but a classical group negotiated, neither, or cannot tell (no group and no ClientHello logged). With
 * {@code --what-if groups=...}, what each client would get from a server that supports those groups.
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

    private final CappedMap<Row> serverNames;
    private final CappedMap<Row> clients;

    PostQuantumReadiness(int maxKeys) {
        serverNames = new CappedMap<>(maxKeys);
        clients = new CappedMap<>(maxKeys);
    }

    void add(Handshake h) {
        if (!h.success) {
            return;
        }
        int outcome = outcome(h);
        String sni = h.serverName == null ? Report.NO_SNI : h.serverName;
        count(serverNames.get(h.role + " " + sni, k -> new Row("server_name", k.equals(CappedMap.OTHER) ? k : sni,
                k.equals(CappedMap.OTHER) ? k : h.role, List.of())), outcome, h.timestamp);
        String ja4 = h.ja4 != null ? h.ja4 : Report.NO_HELLO;
        List<String> groups = List.copyOf(h.offeredGroups);
        count(clients.get(h.role + " " + ja4 + " " + String.join(",", groups), k -> k.equals(CappedMap.OTHER)
                ? new Row("client", k, k, List.of()) : new Row("client", ja4, h.role, groups)), outcome, h.timestamp);
    }

    private static int outcome(Handshake h) {
        if (KeyExchangeGroups.isPostQuantum(h.curve)) {
            return NEGOTIATED;
        }
        if (h.offeredGroups.stream().anyMatch(KeyExchangeGroups::isPostQuantum)) {
            return OFFERED;
        }
        return h.curve != null || !h.offeredGroups.isEmpty() ? NEITHER : CANNOT_TELL;
    }

    private static void count(Row row, int outcome, long timestamp) {
        row.counts[outcome]++;
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
        Comparator<Row> order = Comparator.comparingLong((Row r) -> -r.total()).thenComparing(r -> r.key);
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
