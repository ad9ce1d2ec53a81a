package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** An engine's connection as a library paired them, and what its record then says. */
class ConnectionBindingsTest {

    private final ConnectionBindings bindings = new ConnectionBindings();

    private static SSLEngine engine(String host, int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        return host == null ? ctx.createSSLEngine() : ctx.createSSLEngine(host, port);
    }

    private static HandshakeRecord.Builder addresses(Object transport, boolean client, ConnectionBindings b) {
        HandshakeRecord.Builder r = HandshakeRecord.builder();
        SessionDetails.addresses(r, transport, client, null, b);
        return r;
    }

    @Test
    void aBoundEngineGetsItsConnectionsEndsOnceAndNotTheNameItWasGiven() throws Exception {
        SSLEngine engine = engine("localhost", 8443);
        bindings.bind(engine, ConnectionEnds.of(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 50000),
                new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 8443)));
        assertThat(bindings.isBound(engine)).isTrue();

        HandshakeRecord r = addresses(engine, true, bindings).build();
        assertThat(r.peerAddress()).isEqualTo("10.1.2.3");
        assertThat(r.peerPort()).isEqualTo(50000);
        assertThat(r.localAddress()).isEqualTo("10.0.0.1");
        assertThat(r.localPort()).isEqualTo(8443);
        assertThat(r.peerDomain()).as("the host the client asked for").isEqualTo("localhost");
        assertThat(bindings.size()).as("taken with the record").isZero();
        assertThat(addresses(engine, true, bindings).build().peerAddress()).as("fallback: a name is no IP")
                .isNull();
    }

    @Test
    void anUnboundEngineSaysWhatTheApplicationGaveIt() throws Exception {
        HandshakeRecord ip = addresses(engine("10.9.8.7", 443), true, bindings).build();
        assertThat(ip.peerAddress()).isEqualTo("10.9.8.7");
        assertThat(ip.peerPort()).isEqualTo(443);
        assertThat(ip.peerDomain()).isNull();

        HandshakeRecord name = addresses(engine("api.example", 443), true, bindings).build();
        assertThat(name.peerAddress()).isNull();
        assertThat(name.peerDomain()).isEqualTo("api.example");

        HandshakeRecord server = addresses(engine("client.example", 50000), false, bindings).build();
        assertThat(server.peerDomain()).as("a server's name for its client came from a reverse lookup").isNull();
        assertThat(server.peerPort()).isEqualTo(50000);

        HandshakeRecord none = addresses(engine(null, -1), false, bindings).build();
        assertThat(none.peerAddress()).isNull();
        assertThat(none.peerPort()).isEqualTo(-1);
        assertThat(none.localPort()).isEqualTo(-1);
    }

    @Test
    void aTransportWithoutIpAddressesGivesNone() throws Exception {
        SocketAddress unixLike = new SocketAddress() {
            private static final long serialVersionUID = 1L;
        };
        SSLEngine engine = engine("10.1.1.1", 443);
        bindings.bind(engine, ConnectionEnds.of(unixLike, unixLike));
        HandshakeRecord r = addresses(engine, false, bindings).build();
        assertThat(r.peerAddress()).as("never a guess").isNull();
        assertThat(r.peerPort()).isEqualTo(-1);
        assertThat(r.localPort()).isEqualTo(-1);
        assertThat(ConnectionEnds.of(InetSocketAddress.createUnresolved("a.example", 1), null).peerIp).isNull();
    }

    @Test
    void aChannelNotYetConnectedIsAskedWhenTheRecordIsBuilt() throws Exception {
        SSLEngine engine = engine("localhost", 443);
        Object channel = new Object();
        SocketAddress[] remote = new SocketAddress[1];
        bindings.bindLater(engine, channel, c -> remote[0] == null ? null : ConnectionEnds.of(remote[0], null));
        assertThat(bindings.isBound(engine)).isFalse();
        remote[0] = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);
        HandshakeRecord r = addresses(engine, true, bindings).build();
        assertThat(r.peerAddress()).isEqualTo("127.0.0.1");
        assertThat(r.peerPort()).isEqualTo(4433);
    }

    @Test
    void aJdkChannelIsReadWhileOpenAndNotAfter() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            try (SocketChannel accepted = listener.accept()) {
                SSLEngine engine = engine(null, -1);
                new ConnectionCapture(bindings, new AgentErrors()).httpServerEngine(engine, accepted);
                client.close();
                accepted.close(); // read at the pairing: what the record says survives the close
                HandshakeRecord r = addresses(engine, false, bindings).build();
                assertThat(r.peerAddress()).isEqualTo("127.0.0.1");
                assertThat(r.localPort()).isEqualTo(port);
                assertThat(r.peerPort()).isPositive().isNotEqualTo(port);
            }
            assertThat(ConnectionCapture.channelEnds(client).peerIp).as("closed: nothing").isNull();
        }
    }

    /**
     * What binding costs per connection (the library's hook, then the record taking it): a few hundred bytes, once.
     * Measured with the thread's own allocation counter over one engine bound and taken again and again, after the
     * JIT's warm-up; the figure is printed for docs/performance.md.
     */
    @Test
    void bindingAConnectionAllocatesAFewHundredBytesOnce() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                    SocketChannel accepted = listener.accept()) {
                SSLEngine engine = engine(null, -1);
                ConnectionCapture capture = new ConnectionCapture(bindings, new AgentErrors());
                int n = 200_000;
                long bytes = 0;
                for (int round = 0; round < 2; round++) { // the first round is the JIT's warm-up
                    long before = threads.getThreadAllocatedBytes(self);
                    for (int i = 0; i < n; i++) {
                        capture.httpServerEngine(engine, accepted);
                        if (bindings.take(engine) == null) {
                            throw new AssertionError("not bound");
                        }
                    }
                    bytes = threads.getThreadAllocatedBytes(self) - before;
                }
                double perConnection = (double) bytes / n;
                System.out.printf("binding a connection (bind and take): %.1f bytes%n", perConnection);
                assertThat(perConnection).isPositive().isLessThan(1024);
                assertThat(bindings.size()).isZero();
            }
        }
    }

    @Test
    void ipLiteralsAreToldByTheirCharacters() {
        assertThat(SessionDetails.isIpLiteral("127.0.0.1")).isTrue();
        assertThat(SessionDetails.isIpLiteral("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(SessionDetails.isIpLiteral("::1")).isTrue();
        assertThat(SessionDetails.isIpLiteral("[::1]")).isTrue();
        assertThat(SessionDetails.isIpLiteral("fe80::1%eth0")).isTrue();
        assertThat(SessionDetails.isIpLiteral("::ffff:10.0.0.1")).isTrue();
        assertThat(SessionDetails.isIpLiteral("localhost")).isFalse();
        assertThat(SessionDetails.isIpLiteral("api.example")).isFalse();
        assertThat(SessionDetails.isIpLiteral("1.2.3.example")).isFalse();
        assertThat(SessionDetails.isIpLiteral("cafe")).isFalse();
        assertThat(SessionDetails.isIpLiteral(null)).isFalse();
    }
}
