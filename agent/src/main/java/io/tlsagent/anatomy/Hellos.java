package io.tlsagent.anatomy;

import io.tlsagent.record.ClientHello;
import io.tlsagent.record.ServerHello;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Hellos parsed once per kind: clients of one kind send the same offer again and again, servers answer alike, so
 * the parse and the fingerprints are kept by the hello's {@link HelloKey} (the hello without its per-connection
 * parts). Small and bounded (a table of {@code 2 * MAX_ENTRIES} slots where a newcomer may take an old one's place),
 * so endless new kinds cost what no cache would. A hello that does not parse cleanly (or is very large) is parsed
 * each time and never kept.
 */
public final class Hellos {

    static final int MAX_ENTRIES = 256;

    /** One kind of ClientHello: parsed, named, fingerprinted. */
    public static final class Offer {
        private final ClientHello hello;
        private final String id;
        private final String ja3;
        private final String ja3Md5;
        private final String ja4;

        Offer(ClientHello hello, String id) {
            this(hello, id, Ja3.clientString(hello), null, Ja4.fingerprint(hello));
        }

        private Offer(ClientHello hello, String id, String ja3, String ja3Md5, String ja4) {
            this.hello = hello;
            this.id = id;
            this.ja3 = ja3;
            this.ja3Md5 = ja3Md5 != null ? ja3Md5 : Ja3.md5(ja3);
            this.ja4 = ja4;
        }

        /** This offer as one hello made it: its own session ID, ticket and PSK lengths. */
        Offer of(HelloKey.Sink lengths) {
            ClientHello h = hello;
            if (h.sessionIdLength() == lengths.sessionIdLength && h.sessionTicketLength() == lengths.sessionTicketLength
                    && h.pskLength() == lengths.pskLength) {
                return this;
            }
            return new Offer(h.withConnectionLengths(lengths.sessionIdLength, lengths.sessionTicketLength,
                    lengths.pskLength), id, ja3, ja3Md5, ja4);
        }

        public ClientHello hello() {
            return hello;
        }

        /** {@link io.tlsagent.record.HandshakeAnatomy#clientHelloId()}; null for a hello that did not parse. */
        public String id() {
            return id;
        }

        public String ja3() {
            return ja3;
        }

        public String ja3Md5() {
            return ja3Md5;
        }

        public String ja4() {
            return ja4;
        }
    }

    /** One kind of ServerHello, parsed and fingerprinted. */
    public static final class Answer {
        private final ServerHello hello;
        private final String ja3s;
        private final String ja3sMd5;

        Answer(ServerHello hello) {
            this.hello = hello;
            this.ja3s = Ja3.serverString(hello);
            this.ja3sMd5 = Ja3.md5(ja3s);
        }

        public ServerHello hello() {
            return hello;
        }

        public String ja3s() {
            return ja3s;
        }

        public String ja3sMd5() {
            return ja3sMd5;
        }
    }

    private static final Kinds<Offer> OFFERS = new Kinds<>(true);
    private static final Kinds<Answer> ANSWERS = new Kinds<>(false);

    private Hellos() {}

    /**
     * The offer of a ClientHello body, with this hello's own lengths; any thread. A known kind costs one walk over
     * the hello to hash it and one to confirm it, and no copy; a new kind is parsed and kept.
     */
    public static Offer clientHello(ByteBuffer body) {
        return clientHello(body, true);
    }

    /**
     * As {@link #clientHello(ByteBuffer)}, for the fingerprints only (the JFR event, on the handshake's thread):
     * a known kind costs two walks over the hello and allocates almost nothing.
     */
    public static Offer fingerprints(ByteBuffer body) {
        return clientHello(body, false);
    }

    private static Offer clientHello(ByteBuffer body, boolean ownLengths) {
        HelloKey.Hash hash = new HelloKey.Hash();
        if (!HelloKey.client(body, hash)) {
            return new Offer(ClientHelloParser.parse(body), null);
        }
        Offer known = OFFERS.find(body, hash.value);
        if (known != null) {
            return ownLengths ? known.of(hash) : known;
        }
        HelloKey key = HelloKey.clientHello(body);
        Offer offer = new Offer(ClientHelloParser.parse(body), key.id());
        OFFERS.keep(hash.value, key, offer);
        return offer;
    }

    public static Answer serverHello(ByteBuffer body) {
        HelloKey.Hash hash = new HelloKey.Hash();
        if (!HelloKey.server(body, hash)) {
            return new Answer(ServerHelloParser.parse(body));
        }
        Answer known = ANSWERS.find(body, hash.value);
        if (known != null) {
            return known;
        }
        Answer answer = new Answer(ServerHelloParser.parse(body));
        ANSWERS.keep(hash.value, HelloKey.serverHello(body), answer);
        return answer;
    }

    /** How many offers are kept now (tests). */
    static int offersCached() {
        return OFFERS.size();
    }

    /**
     * Kinds of hello by their key's hash: open addressing over a few slots of a fixed table, each found by the
     * hash and confirmed by the key's bytes; a newcomer takes an empty slot of its window, else its first one.
     */
    private static final class Kinds<V> {
        private static final int PROBES = 8;
        private final boolean client;
        private final AtomicReferenceArray<Known<V>> slots = new AtomicReferenceArray<>(2 * MAX_ENTRIES);

        Kinds(boolean client) {
            this.client = client;
        }

        V find(ByteBuffer body, long hash) {
            int first = slot(hash);
            for (int i = 0; i < PROBES; i++) {
                Known<V> k = slots.get((first + i) & (slots.length() - 1));
                if (k == null) {
                    return null;
                }
                if (k.hash == hash) {
                    HelloKey.Match match = new HelloKey.Match(k.key);
                    if ((client ? HelloKey.client(body, match) : HelloKey.server(body, match)) && match.matches()) {
                        return k.value;
                    }
                }
            }
            return null;
        }

        void keep(long hash, HelloKey key, V value) {
            Known<V> known = new Known<>(hash, key, value);
            int first = slot(hash);
            for (int i = 0; i < PROBES; i++) {
                if (slots.compareAndSet((first + i) & (slots.length() - 1), null, known)) {
                    return;
                }
            }
            slots.set(first, known);
        }

        private int slot(long hash) {
            return (int) (hash ^ (hash >>> 32)) & (slots.length() - 1);
        }

        int size() {
            int n = 0;
            for (int i = 0; i < slots.length(); i++) {
                n += slots.get(i) != null ? 1 : 0;
            }
            return n;
        }
    }

    /** A kind in the table: found by its key's hash, confirmed by its key's bytes. */
    private static final class Known<V> {
        final long hash;
        final HelloKey key;
        final V value;

        Known(long hash, HelloKey key, V value) {
            this.hash = hash;
            this.key = key;
            this.value = value;
        }
    }
}
