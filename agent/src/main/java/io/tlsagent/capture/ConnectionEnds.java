package io.tlsagent.capture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The two ends of one connection as its transport reported them when the library paired it with its engine: the
 * IPs as the JDK writes them ({@code getHostAddress()}: no lookup, IPv6 and IPv4-mapped alike) and the ports. A
 * transport without IP addresses (a Unix-domain socket, an in-memory channel) has none: null and -1, never a guess.
 */
final class ConnectionEnds {

    static final ConnectionEnds NO_IP = new ConnectionEnds(null, -1, null, -1);

    final String peerIp;
    final int peerPort;
    final String localIp;
    final int localPort;

    private ConnectionEnds(String peerIp, int peerPort, String localIp, int localPort) {
        this.peerIp = peerIp;
        this.peerPort = peerPort;
        this.localIp = localIp;
        this.localPort = localPort;
    }

    /** From the transport's two addresses; anything but a resolved {@link InetSocketAddress} counts as none. */
    static ConnectionEnds of(SocketAddress peer, SocketAddress local) {
        InetAddress peerIp = ip(peer);
        InetAddress localIp = ip(local);
        if (peerIp == null && localIp == null) {
            return NO_IP;
        }
        return new ConnectionEnds(peerIp != null ? peerIp.getHostAddress() : null,
                peerIp != null ? ((InetSocketAddress) peer).getPort() : -1,
                localIp != null && !localIp.isAnyLocalAddress() ? localIp.getHostAddress() : null,
                localIp != null ? ((InetSocketAddress) local).getPort() : -1);
    }

    private static InetAddress ip(SocketAddress address) {
        if (!(address instanceof InetSocketAddress)) {
            return null;
        }
        InetSocketAddress isa = (InetSocketAddress) address;
        return isa.isUnresolved() ? null : isa.getAddress();
    }

    @Override
    public String toString() {
        return peerIp + ":" + peerPort + " <- " + localIp + ":" + localPort;
    }
}
