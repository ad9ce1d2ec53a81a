package io.tlsagent.anatomy;

import io.tlsagent.record.ClientHello;
import io.tlsagent.record.ServerHello;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Hellos parsed once per kind: clients of one kind send the same offer again and again, servers answer alike, so
 * the parse and the fingerprints are kept by the hello's {@link HelloKey} (the hello without its per-connection
 * parts). Small and bounded: when full a cache starts over, so endless new kinds cost what no cache would. A hello
 * that does not parse cleanly (or is very large) is parsed each time and never kept.
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
        Offer of(HelloKey key) {
            ClientHello h = hello;
            if (h.sessionIdLength() == key.sessionIdLength() && h.sessionTicketLength() == key.sessionTicketLength()
                    && h.pskLength() == key.pskLength()) {
                return this;
            }
            return new Offer(h.withConnectionLengths(key.sessionIdLength(), key.sessionTicketLength(),
                    key.pskLength()), id, ja3, ja3Md5, ja4);
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

    private static final Map<HelloKey, Offer> OFFERS = new ConcurrentHashMap<>();
    private static final Map<HelloKey, Answer> ANSWERS = new ConcurrentHashMap<>();

    private Hellos() {}

    /** The offer of a ClientHello body; any thread (the JFR event asks on the handshake's). */
    public static Offer clientHello(ByteBuffer body) {
        HelloKey key = HelloKey.clientHello(body);
        if (key == null) {
            return new Offer(ClientHelloParser.parse(body), null);
        }
        return cached(OFFERS, key, k -> new Offer(ClientHelloParser.parse(body), k.id())).of(key);
    }

    public static Answer serverHello(ByteBuffer body) {
        HelloKey key = HelloKey.serverHello(body);
        if (key == null) {
            return new Answer(ServerHelloParser.parse(body));
        }
        return cached(ANSWERS, key, k -> new Answer(ServerHelloParser.parse(body)));
    }

    private static <V> V cached(Map<HelloKey, V> cache, HelloKey key, Function<HelloKey, V> make) {
        V known = cache.get(key);
        if (known != null) {
            return known;
        }
        V made = make.apply(key);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, made);
        return made;
    }

    /** How many offers are kept now (tests). */
    static int offersCached() {
        return OFFERS.size();
    }
}
