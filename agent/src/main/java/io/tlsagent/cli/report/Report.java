package io.tlsagent.cli.report;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the report says, aggregated line by line: only counters and maps keyed by bounded things are kept
 * (each map capped at {@code maxKeys}), so memory does not grow with the number of lines.
 */
final class Report {

    static final String NO_HELLO = "(no ClientHello logged)";
    static final String NO_SNI = "(none)";
    private static final int MAX_COMBOS = 64; // version x cipher pairs per key
    private static final int MAX_SUITE_NAMES = 1024;
    private static final int MAX_PEERS = 3;
    private static final int MAX_MESSAGE = 200;

    /** How many handshakes and when the last one was. */
    static final class Tally {
        long count;
        long lastSeen = Long.MIN_VALUE;

        void add(long timestamp) {
            add(timestamp, 1);
        }

        void add(long lastTimestamp, long handshakes) {
            count += handshakes;
            lastSeen = Math.max(lastSeen, lastTimestamp);
        }
    }

    /** Negotiated version and cipher suite, counted per key (server name or client). */
    static final class Negotiated {
        final Tally total = new Tally();
        final CappedMap<Tally> combos = new CappedMap<>(MAX_COMBOS);
    }

    /** A client, by the JA4 fingerprint of its ClientHello. */
    final class Client {
        final String ja4;
        final Tally handshakes = new Tally();
        long failures;
        final Negotiated negotiated = new Negotiated();
        boolean helloSeen;
        int offeredVersions;
        final BitSet offeredSuites = new BitSet();
        final List<String> seenFrom = new ArrayList<>(MAX_PEERS);
        long seenFromMore;

        Client(String ja4) {
            this.ja4 = ja4;
        }

        List<String> offeredSuiteNames() {
            List<String> names = new ArrayList<>();
            for (int i = offeredSuites.nextSetBit(0); i >= 0; i = offeredSuites.nextSetBit(i + 1)) {
                names.add(suiteNames.get(i));
            }
            return names;
        }
    }

    /** Failures of one error type with one peer. */
    static final class Failure {
        final String type;
        final String role;
        final String peer;
        final Tally tally = new Tally();
        String example;

        Failure(String type, String role, String peer) {
            this.type = type;
            this.role = role;
            this.peer = peer;
        }
    }

    /** A certificate that expires within the window. */
    static final class Certificate {
        final String sha256;
        final String subject;
        final Instant notAfter;
        final String presenter;
        final String serverName;
        final Tally tally = new Tally();

        Certificate(String sha256, String subject, Instant notAfter, String presenter, String serverName) {
            this.sha256 = sha256;
            this.subject = subject;
            this.notAfter = notAfter;
            this.presenter = presenter;
            this.serverName = serverName;
        }
    }

    final int maxKeys;
    final Instant now;
    final long expiringDays;
    private final Instant expiryLimit;

    long lines;
    long records;
    long successes;
    long failures;
    long withoutHello;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    final Map<String, Long> skipped = new LinkedHashMap<>(); // keys: the parser's fixed reasons
    final List<String> readErrors = new ArrayList<>();
    final List<String> inputs = new ArrayList<>();
    final CappedMap<Tally> versions;
    final CappedMap<Negotiated> serverNames;
    final CappedMap<Client> clients;
    final CappedMap<Failure> failureGroups;
    final CappedMap<Certificate> expiring;
    final PostQuantumReadiness postQuantum;
    private final Map<String, Integer> suiteIndex = new HashMap<>();
    private final List<String> suiteNames = new ArrayList<>();
    long unindexedSuites;
    /** Chains by name, as full lines list them: what summary lines that only name them stand for. */
    private final Map<String, List<Handshake.Certificate>> chains = new HashMap<>();
    /** Summary lines read before any full line of their chain (files given newest first, say), until the end. */
    private final Map<String, Deferred> deferred = new LinkedHashMap<>();
    /** Handshakes whose chains no full line named: only their leaf counted. */
    long unresolvedChains;

    /** The certificate part of summary lines that wait for their chains, by everything it depends on. */
    private static final class Deferred {
        final String role;
        final String serverName;
        final String peerChainId;
        final String localChainId;
        final List<Handshake.Certificate> onLine = new ArrayList<>();
        final Tally tally = new Tally();

        Deferred(Handshake h) {
            role = h.role;
            serverName = h.serverName;
            peerChainId = h.peerChainId;
            localChainId = h.localChainId;
            for (Handshake.Certificate c : h.certificates) {
                onLine.add(c.copy(c.presenter));
            }
        }
    }

    Report(int maxKeys, Instant now, long expiringDays) {
        this.maxKeys = maxKeys;
        this.now = now;
        this.expiringDays = expiringDays;
        this.expiryLimit = now.plusSeconds(expiringDays * 86_400);
        versions = new CappedMap<>(64);
        serverNames = new CappedMap<>(maxKeys);
        clients = new CappedMap<>(maxKeys);
        failureGroups = new CappedMap<>(maxKeys);
        expiring = new CappedMap<>(maxKeys);
        postQuantum = new PostQuantumReadiness(maxKeys);
    }

    void skip(String reason) {
        lines++;
        skipped.merge(reason, 1L, Long::sum);
    }

    void add(Handshake h) {
        lines++;
        records++;
        first = Math.min(first, h.timestamp);
        last = Math.max(last, h.timestamp);
        String combo = h.version + " " + h.cipher;
        if (h.success) {
            successes++;
            versions.get(h.version, k -> new Tally()).add(h.timestamp);
            String sni = h.serverName == null ? NO_SNI : h.serverName;
            Negotiated byName = serverNames.get(sni, k -> new Negotiated());
            byName.total.add(h.timestamp);
            byName.combos.get(h.role + " " + combo, k -> new Tally()).add(h.timestamp);
        } else {
            failures++;
            String type = h.errorType == null ? "(none)" : h.errorType;
            String peer = h.peer();
            Failure f = failureGroups.get(type + " " + h.role + " " + peer, k -> k.equals(CappedMap.OTHER)
                    ? new Failure(k, k, k) : new Failure(type, h.role, peer));
            f.tally.add(h.timestamp);
            if (f.example == null && h.errorMessage != null) {
                f.example = cut(h.errorMessage);
            }
        }
        addClient(h, combo);
        postQuantum.add(h);
        if (h.summary) {
            if (!withChains(h.certificates, h.role, h.peerChainId, h.localChainId)) {
                defer(h);
                return;
            }
        } else {
            learn(h.peerChainId, h.peerChain);
            learn(h.localChainId, h.localChain);
        }
        for (Handshake.Certificate c : h.certificates) {
            addCertificate(h.serverName, h.timestamp, 1, c);
        }
    }

    private void learn(String id, List<Handshake.Certificate> chain) {
        if (id != null && !chain.isEmpty() && !chains.containsKey(id) && chains.size() < maxKeys) {
            List<Handshake.Certificate> copy = new ArrayList<>();
            for (Handshake.Certificate c : chain) {
                copy.add(c.copy(null));
            }
            chains.put(id, copy);
        }
    }

    /**
     * Adds the certificates of the chains a summary line names to its own (its leaf), as a full line lists them:
     * the peer's chain, then its own; false when a chain is not known (yet).
     */
    private boolean withChains(List<Handshake.Certificate> certificates, String role, String peerChainId,
            String localChainId) {
        List<Handshake.Certificate> peer = peerChainId == null ? List.of() : chains.get(peerChainId);
        List<Handshake.Certificate> local = localChainId == null ? List.of() : chains.get(localChainId);
        if (peer == null || local == null) {
            return false;
        }
        Handshake line = new Handshake();
        line.role = role;
        line.certificates.addAll(certificates);
        for (Handshake.Certificate c : peer) {
            line.addCertificate(c.copy(line.presenter(true)));
        }
        for (Handshake.Certificate c : local) {
            line.addCertificate(c.copy(line.presenter(false)));
        }
        certificates.clear();
        certificates.addAll(line.certificates);
        return true;
    }

    private void defer(Handshake h) {
        StringBuilder key = new StringBuilder().append(h.role).append(' ').append(h.serverName).append(' ')
                .append(h.peerChainId).append(' ').append(h.localChainId);
        for (Handshake.Certificate c : h.certificates) {
            key.append(' ').append(c.sha256).append(' ').append(c.presenter);
        }
        Deferred d = deferred.get(key.toString());
        if (d == null) {
            if (deferred.size() >= maxKeys) {
                unresolvedChains++;
                for (Handshake.Certificate c : h.certificates) {
                    addCertificate(h.serverName, h.timestamp, 1, c);
                }
                return;
            }
            d = new Deferred(h);
            deferred.put(key.toString(), d);
        }
        d.tally.add(h.timestamp);
    }

    /** After the last line: the summary lines that waited for a full line of their chains or ClientHello. */
    void finish() {
        postQuantum.finish();
        for (Deferred d : deferred.values()) {
            List<Handshake.Certificate> certificates = new ArrayList<>(d.onLine);
            if (!withChains(certificates, d.role, d.peerChainId, d.localChainId)) {
                unresolvedChains += d.tally.count;
            }
            for (Handshake.Certificate c : certificates) {
                addCertificate(d.serverName, d.tally.lastSeen, d.tally.count, c);
            }
        }
        deferred.clear();
    }

    private void addClient(Handshake h, String combo) {
        boolean hello = h.helloSeen();
        if (!hello) {
            withoutHello++;
        }
        Client c = clients.get(hello && h.ja4 != null ? h.ja4 : NO_HELLO, Client::new);
        c.handshakes.add(h.timestamp);
        if (h.success) {
            c.negotiated.total.add(h.timestamp);
            c.negotiated.combos.get(combo, k -> new Tally()).add(h.timestamp);
        } else {
            c.failures++;
        }
        if (hello && !c.ja4.equals(NO_HELLO) && !c.ja4.equals(CappedMap.OTHER)) {
            c.helloSeen = true;
            c.offeredVersions |= TlsVersions.offered(h.legacyVersion, h.offeredVersions);
            for (String suite : h.offeredCiphers) {
                int i = suiteIndex(suite);
                if (i >= 0) {
                    c.offeredSuites.set(i);
                }
            }
        }
        // Where the client was seen: its address on our server side; this JVM itself when it was the client.
        String from = h.role.equals("server") ? h.peer() : "this JVM" + (h.service == null ? "" : " (" + h.service + ")");
        if (!c.seenFrom.contains(from)) {
            if (c.seenFrom.size() < MAX_PEERS) {
                c.seenFrom.add(from);
            } else {
                c.seenFromMore++;
            }
        }
    }

    private static String cut(String s) {
        if (s.length() <= MAX_MESSAGE) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(MAX_MESSAGE - 1)) ? MAX_MESSAGE - 1 : MAX_MESSAGE;
        return s.substring(0, end) + "...";
    }

    private int suiteIndex(String suite) {
        Integer i = suiteIndex.get(suite);
        if (i != null) {
            return i;
        }
        if (suiteNames.size() >= MAX_SUITE_NAMES) {
            unindexedSuites++;
            return -1;
        }
        suiteIndex.put(suite, suiteNames.size());
        suiteNames.add(suite);
        return suiteNames.size() - 1;
    }

    private void addCertificate(String serverName, long timestamp, long handshakes, Handshake.Certificate c) {
        Instant notAfter;
        try {
            notAfter = Instant.parse(c.notAfter);
        } catch (DateTimeParseException e) {
            return;
        }
        if (notAfter.isAfter(expiryLimit)) {
            return;
        }
        String sni = serverName == null ? NO_SNI : serverName;
        expiring.get(c.sha256, k -> k.equals(CappedMap.OTHER) ? new Certificate(k, k, notAfter, k, k)
                : new Certificate(k, c.subject, notAfter, c.presenter, sni)).tally.add(timestamp, handshakes);
    }
}
