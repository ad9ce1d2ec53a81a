package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.anatomy.AnatomyAssembler;
import io.tlsagent.record.HandshakeAnatomy;
import io.tlsagent.record.HandshakeMessage;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.record.Role;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The reader of the wire on real connections: the TCP payloads of loopback captures between Conscrypt 2.7.0, Netty's
 * OpenSSL engine (BoringSSL), Bouncy Castle JSSE 1.84 and the JDK (resources {@code wire/*.txt}), fed to each side's
 * {@link WireHandshake} as the engines' calls would hand them over, and in pieces no engine chose (single bytes,
 * random cuts): every way gives the same anatomy, and it agrees with what Wireshark's {@code tshark} 4.0 dissected
 * from the same captures (the expected values below: JA3/JA3S, offered groups, key_share groups, named curve).
 */
class WireHandshakeTest {

    private static final AnatomyAssembler ANATOMY = new AnatomyAssembler(new AnatomyAssembler.Options(true, true, 14));

    /** How a direction's bytes reach the reader. */
    enum Cuts { SEGMENTS, SINGLE_BYTES, RANDOM }

    @ParameterizedTest
    @EnumSource(Cuts.class)
    void conscryptToConscryptNegotiatesX25519Mlkem768(Cuts cuts) throws IOException {
        for (Role role : Role.values()) {
            HandshakeRecord r = read("conscrypt-conscrypt", role, cuts, "TLSv1.3", "TLS_AES_128_GCM_SHA256");
            HandshakeAnatomy a = r.anatomy();
            assertThat(a.ja3Md5()).isEqualTo("ea3604cfd9f5ac08127ca494c1bb38f8");
            assertThat(a.clientHello().supportedGroups()).containsExactly(0x11ec, 0x001d, 0x0017, 0x0018);
            assertThat(a.clientHello().keyShareGroups()).containsExactly(4588, 29);
            assertThat(a.ja3sMd5()).isEqualTo("eb1d94daa7e0344597e756a1fb6e7054");
            assertThat(r.namedGroup()).isEqualTo("X25519MLKEM768");
            assertThat(a.helloRetryGroup()).isNull();
            assertThat(a.parseErrors()).isEmpty();
            // TLS 1.3: only the hellos are plaintext; the client's CCS is no message
            assertThat(types(r)).containsExactly("client_hello", "server_hello");
            assertThat(r.messages().get(0).outbound()).isEqualTo(role == Role.CLIENT);
        }
    }

    @ParameterizedTest
    @EnumSource(Cuts.class)
    void nettyToNettyNegotiatesX25519Mlkem768(Cuts cuts) throws IOException {
        for (Role role : Role.values()) {
            HandshakeRecord r = read("netty-netty", role, cuts, "TLSv1.3", "TLS_AES_128_GCM_SHA256");
            assertThat(r.anatomy().ja3Md5()).isEqualTo("83b69ab231639d037c92eb4d95518ca7");
            assertThat(r.anatomy().clientHello().supportedGroups()).containsExactly(0x11ec, 0x001d, 0x0017, 0x0018,
                    0x0019);
            assertThat(r.anatomy().ja3sMd5()).isEqualTo("eb1d94daa7e0344597e756a1fb6e7054");
            assertThat(r.namedGroup()).isEqualTo("X25519MLKEM768");
        }
    }

    /**
     * A Bouncy Castle client shares an x25519 key only; Conscrypt prefers X25519MLKEM768 and asks again. The
     * fingerprint is the first ClientHello's (the second one differs), the group the final ServerHello's.
     */
    @ParameterizedTest
    @EnumSource(Cuts.class)
    void aHelloRetryRequestIsToldApartFromTheServerHello(Cuts cuts) throws IOException {
        for (Role role : Role.values()) {
            HandshakeRecord r = read("conscrypt-bc", role, cuts, "TLSv1.3", "TLS_AES_128_GCM_SHA256");
            assertThat(r.anatomy().ja3Md5()).isEqualTo("c00b091fd300d9d2eaea76eb056b284c");
            assertThat(r.anatomy().clientHello().keyShareGroups()).containsExactly(29);
            assertThat(r.anatomy().helloRetryGroup()).isEqualTo("X25519MLKEM768");
            assertThat(r.anatomy().ja3sMd5()).isEqualTo("d75f9129bb5d05492a65ff78e081bcb2");
            assertThat(r.namedGroup()).isEqualTo("X25519MLKEM768");
            assertThat(types(r)).containsExactly("client_hello", "server_hello", "client_hello", "server_hello");
        }
    }

    @ParameterizedTest
    @EnumSource(Cuts.class)
    void bouncyCastlesOwnRetryToSecP256r1Mlkem768(Cuts cuts) throws IOException {
        HandshakeRecord r = read("bc-bc", Role.SERVER, cuts, "TLSv1.3", "TLS_AES_128_GCM_SHA256");
        assertThat(r.anatomy().ja3Md5()).isEqualTo("ada924dbd1211b320ac68af9494d7a21");
        assertThat(r.anatomy().clientHello().supportedGroups()).containsExactly(0x11eb, 0x0017);
        assertThat(r.anatomy().helloRetryGroup()).isEqualTo("SecP256r1MLKEM768");
        assertThat(r.anatomy().ja3sMd5()).isEqualTo("475c9302dc42b2751db9edcac3b74891");
        assertThat(r.namedGroup()).isEqualTo("SecP256r1MLKEM768");
    }

    /** TLS 1.2, BoringSSL: one message per record; the group is the ServerKeyExchange's named curve. */
    @ParameterizedTest
    @EnumSource(Cuts.class)
    void tls12TakesTheGroupFromTheServerKeyExchange(Cuts cuts) throws IOException {
        for (Role role : Role.values()) {
            HandshakeRecord r = read("t12-conscrypt", role, cuts, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            assertThat(r.anatomy().ja3Md5()).isEqualTo("cdcb28b9b475212c227ea128ad2c93b7");
            assertThat(r.anatomy().ja3sMd5()).isEqualTo("b31c0b82752ea0e2c48b8ce46e9263e5");
            assertThat(r.namedGroup()).isEqualTo("x25519");
            // plaintext up to each side's ChangeCipherSpec; the encrypted Finished is not read as a message
            assertThat(types(r)).containsExactly("client_hello", "server_hello", "certificate",
                    "server_key_exchange", "server_hello_done", "client_key_exchange");
            if (role == Role.CLIENT) {
                assertThat(r.anatomy().peerChain()).hasSize(1); // the server's, from its plaintext Certificate
                assertThat(r.anatomy().peerSignatureScheme()).isNotNull(); // from the ServerKeyExchange
            }
        }
    }

    /** TLS 1.2, the JDK: several messages in one record, a plaintext NewSessionTicket before the CCS. */
    @ParameterizedTest
    @EnumSource(Cuts.class)
    void severalMessagesInOneRecord(Cuts cuts) throws IOException {
        for (Role role : Role.values()) {
            HandshakeRecord r = read("t12-jdk", role, cuts, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
            assertThat(r.anatomy().ja3Md5()).isEqualTo("4b87071f1e281a29892a3ed863c6cff5");
            assertThat(r.anatomy().ja3sMd5()).isEqualTo("d32d6a0ff9d52869cb6d4ab402b7306c");
            assertThat(r.namedGroup()).isEqualTo("x25519");
            assertThat(types(r)).containsExactly("client_hello", "server_hello", "certificate",
                    "server_key_exchange", "server_hello_done", "client_key_exchange", "new_session_ticket");
            assertThat(r.anatomy().parseErrors()).isEmpty();
        }
    }

    /** An SSLv2-format ClientHello (a JDK client with SSLv2Hello enabled): recognized, not read, said. */
    @Test
    void anSslV2HelloIsNotRead() throws IOException {
        HandshakeRecord r = read("v2-netty", Role.SERVER, Cuts.SEGMENTS, null, null);
        assertThat(r.messages()).isEmpty();
        assertThat(r.anatomy().clientHello()).isNull();
        assertThat(r.anatomy().parseErrors()).containsExactly("wire sslv2_hello: inbound an SSLv2-format ClientHello,"
                + " not read");
    }

    /** The same result reported again by a delegating overload is read once. */
    @Test
    void aResultIsReadOnce() throws IOException {
        List<Segment> segments = load("conscrypt-conscrypt");
        WireHandshake wire = new WireHandshake(0);
        Object result = new Object();
        ByteBuffer hello = ByteBuffer.wrap(segments.get(0).bytes);
        hello.position(hello.limit());
        wire.read(result, true, hello, hello.limit(), 1);
        wire.read(result, true, hello, hello.limit(), 2);
        assertThat(wire.messages()).hasSize(1);
    }

    /**
     * Netty's and Conscrypt's unwrap from several buffers: a ClientHello split over two buffers whose positions
     * did not start at 0 (Netty's views of a composite buffer), found through the positions kept at entry.
     */
    @Test
    void anUnwrapFromSeveralBuffersIsReadFromTheirStartingPositions() throws IOException {
        byte[] hello = load("conscrypt-conscrypt").get(0).bytes;
        int cut = 700;
        ByteBuffer first = ByteBuffer.allocate(100 + cut);
        first.position(100);
        first.put(hello, 0, cut);
        first.position(100); // [100, 100 + cut): what the caller handed over
        ByteBuffer second = ByteBuffer.allocate(50 + hello.length - cut);
        second.position(50);
        second.put(hello, cut, hello.length - cut);
        second.position(50);
        ByteBuffer[] srcs = {ByteBuffer.allocate(0), first, second};
        int p1 = first.position();
        int p2 = second.position();
        first.position(first.limit()); // the engine consumed everything
        second.position(second.limit());
        WireHandshake wire = new WireHandshake(0);
        wire.readUnwrapped(new Object(), srcs, 1, 2, p1, p2, 0, 0, hello.length, 1);
        HandshakeRecord r = ANATOMY.complete(HandshakeRecord.builder().role(Role.SERVER).protocol("TLSv1.3")
                .capture(wire.captured().build()).build());
        assertThat(r.anatomy().ja3Md5()).isEqualTo("ea3604cfd9f5ac08127ca494c1bb38f8");
    }

    /**
     * Fuzz: real handshakes with bytes flipped, dropped or inserted. The reader never throws, keeps within its
     * caps, and reads the same whatever the cuts: single bytes give what whole segments give.
     */
    @Test
    void mutatedStreamsReadTheSameInAnyCutsAndNeverThrow() throws IOException {
        String[] captures = {"conscrypt-conscrypt", "conscrypt-bc", "t12-conscrypt", "t12-jdk", "netty-netty",
            "bc-bc"};
        Random random = new Random(16);
        int runs = Integer.getInteger("tlsagent.fuzz.runs", 1000);
        for (int run = 0; run < runs; run++) {
            List<Segment> segments = mutate(load(captures[run % captures.length]), random);
            Role role = random.nextBoolean() ? Role.CLIENT : Role.SERVER;
            WireHandshake whole = feed(segments, role, Cuts.SEGMENTS);
            WireHandshake bytes = feed(segments, role, Cuts.SINGLE_BYTES);
            String a = describe(whole);
            assertThat(describe(bytes)).as("run %d", run).isEqualTo(a);
            HandshakeRecord r = ANATOMY.complete(HandshakeRecord.builder().role(role).protocol("TLSv1.3")
                    .capture(whole.captured().build()).build());
            assertThat(r.capture()).isNull();
            assertThat(whole.messages().size()).isLessThanOrEqualTo(SunJsseHandshake.MAX_MESSAGES);
        }
    }

    private static List<Segment> mutate(List<Segment> segments, Random random) {
        List<Segment> out = new ArrayList<>();
        for (Segment s : segments) {
            byte[] b = s.bytes.clone();
            int edits = random.nextInt(4);
            for (int e = 0; e < edits && b.length > 0; e++) {
                int at = random.nextInt(b.length);
                switch (random.nextInt(3)) {
                    case 0:
                        b[at] = (byte) random.nextInt(256);
                        break;
                    case 1:
                        b = java.util.Arrays.copyOf(b, at); // cut short
                        break;
                    default:
                        byte[] longer = new byte[b.length + 1 + random.nextInt(8)];
                        System.arraycopy(b, 0, longer, 0, at);
                        for (int k = at; k < at + longer.length - b.length; k++) {
                            longer[k] = (byte) random.nextInt(256);
                        }
                        System.arraycopy(b, at, longer, at + longer.length - b.length, b.length - at);
                        b = longer;
                }
            }
            if (b.length > 0) {
                out.add(new Segment(s.fromClient, b));
            }
        }
        return out;
    }

    /** Everything a reader kept, as text to compare. */
    private static String describe(WireHandshake wire) {
        io.tlsagent.record.HandshakeCapture c = wire.captured().build();
        return timeline(wire.messages()) + " " + hex(c.clientHello()) + " " + hex(c.serverHello()) + " "
                + hex(c.helloRetryRequest()) + " " + hex(c.keyExchange()) + " " + hex(c.peerCertificateMessage())
                + " " + hex(c.peerSignature()) + " " + c.wireNotes() + " " + wire.alertName();
    }

    private static String hex(ByteBuffer b) {
        if (b == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (int i = b.position(); i < b.limit(); i++) {
            out.append(String.format("%02x", b.get(i)));
        }
        return out.toString();
    }

    /**
     * Netty's composite cumulation after many small reads: one record over ten buffers, each a view starting past 0;
     * their start positions come from the bridge's per-thread array, as the advice fills it at entry.
     */
    @Test
    void anUnwrapFromManyBuffersIsReadFromTheirStartingPositions() throws IOException {
        byte[] hello = load("conscrypt-conscrypt").get(0).bytes;
        int pieces = 10;
        ByteBuffer[] srcs = new ByteBuffer[pieces];
        int at = 0;
        for (int i = 0; i < pieces; i++) {
            int n = i == pieces - 1 ? hello.length - at : hello.length / pieces;
            ByteBuffer b = ByteBuffer.allocate(7 + n + 3);
            b.put(new byte[7]).put(hello, at, n).put(new byte[3]); // foreign bytes on both sides
            b.position(7).limit(7 + n);
            srcs[i] = b;
            at += n;
        }
        io.tlsagent.bootstrap.PublicApiEvents.rememberStartPositions(srcs, 0, pieces); // the advice, at entry
        for (ByteBuffer b : srcs) {
            b.position(b.limit()); // the engine consumed the record
        }
        WireHandshake wire = new WireHandshake(0);
        wire.readUnwrapped(new Object(), srcs, 0, pieces, 7, 7, 7, 7, hello.length, 1);
        HandshakeRecord r = ANATOMY.complete(HandshakeRecord.builder().role(Role.SERVER).protocol("TLSv1.3")
                .capture(wire.captured().build()).build());
        assertThat(r.anatomy().ja3Md5()).isEqualTo("ea3604cfd9f5ac08127ca494c1bb38f8");
        assertThat(r.anatomy().parseErrors()).isEmpty();
    }

    // ---- feeding a capture

    static HandshakeRecord read(String capture, Role role, Cuts cuts, String protocol, String suite)
            throws IOException {
        WireHandshake wire = feed(load(capture), role, cuts);
        // as PublicApiCapture makes the record at the handshake's end
        HandshakeRecord raw = HandshakeRecord.builder().role(role).protocol(protocol).cipherSuite(suite)
                .namedGroup(wire.group(suite != null && suite.contains("_ECDHE_")))
                .messages(wire.messages()).capture(wire.captured().build()).build();
        return ANATOMY.complete(raw);
    }

    /** Hands each segment over in the capture's order, cut as {@code cuts} says, to the side {@code role}. */
    static WireHandshake feed(List<Segment> segments, Role role, Cuts cuts) {
        WireHandshake wire = new WireHandshake(0);
        Random random = new Random(segments.size() * 31L + role.ordinal());
        long clock = 1;
        for (Segment s : segments) {
            boolean outbound = s.fromClient == (role == Role.CLIENT);
            ByteBuffer buffer = ByteBuffer.wrap(s.bytes);
            int at = 0;
            while (at < s.bytes.length) {
                int n;
                switch (cuts) {
                    case SINGLE_BYTES:
                        n = 1;
                        break;
                    case RANDOM:
                        n = 1 + random.nextInt(Math.min(400, s.bytes.length - at));
                        break;
                    default:
                        n = s.bytes.length;
                }
                n = Math.min(n, s.bytes.length - at);
                buffer.position(at + n); // as an engine leaves it: just past what it produced or consumed
                wire.read(new Object(), outbound, buffer, n, clock++);
                at += n;
            }
        }
        return wire;
    }

    static List<String> types(HandshakeRecord r) {
        return r.messages().stream().map(HandshakeMessage::type).collect(Collectors.toList());
    }

    static List<String> timeline(List<HandshakeMessage> messages) {
        return messages.stream().map(m -> (m.outbound() ? ">" : "<") + m.type()).collect(Collectors.toList());
    }

    static final class Segment {
        final boolean fromClient;
        final byte[] bytes;

        Segment(boolean fromClient, byte[] bytes) {
            this.fromClient = fromClient;
            this.bytes = bytes;
        }
    }

    static List<Segment> load(String name) throws IOException {
        List<Segment> segments = new ArrayList<>();
        try (InputStream in = WireHandshakeTest.class.getResourceAsStream("/wire/" + name + ".txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("> ") || line.startsWith("< ")) {
                    segments.add(new Segment(line.startsWith(">"), hex(line.substring(2).trim())));
                }
            }
        }
        return segments;
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
