package io.tlsagent.export.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * One TLS handshake, seen from one side, as a JDK Flight Recorder event: begun when the handshake's first message
 * is sent or received and committed when it ends, by the thread that ended it, so the event's start and duration
 * are the handshake's, and a recording's threshold for it keeps only slow handshakes. Enabled and without a
 * threshold or a stack trace by default, so any recording (also one with the JDK's default settings) records it.
 */
@Name(HandshakeEvent.NAME)
@Label("TLS Handshake")
@Description("A TLS handshake seen by tls-agent, one event per handshake and side (failures too)")
@Category({"TLS", "tls-agent"})
@Enabled(true)
@StackTrace(false)
@Threshold("0 ms")
final class HandshakeEvent extends jdk.jfr.Event {

    static final String NAME = "tlsagent.Handshake";

    @Label("Role")
    @Description("client or server: the side this JVM played")
    String role;

    @Label("API")
    @Description("socket or engine")
    String api;

    @Label("Provider")
    String provider;

    @Label("Protocol")
    @Description("Negotiated version, e.g. TLSv1.3")
    String protocol;

    @Label("Cipher Suite")
    String cipherSuite;

    @Label("Resumed")
    boolean resumed;

    @Label("Resumption")
    @Description("none, psk, ticket or session_id")
    String resumption;

    @Label("Named Group")
    String namedGroup;

    @Label("Application Protocol")
    @Description("ALPN")
    String applicationProtocol;

    @Label("Server Name")
    @Description("SNI")
    String serverName;

    @Label("Peer Address")
    @Description("The peer's IP on the connection")
    String peerAddress;

    @Label("Peer Port")
    int peerPort;

    @Label("Peer Domain")
    @Description("The host name the application connected to (client side)")
    String peerDomain;

    @Label("Local Address")
    @Description("This side's IP on the connection")
    String localAddress;

    @Label("Local Port")
    int localPort;

    @Label("Success")
    boolean success;

    @Label("Error Type")
    String errorType;

    @Label("Error Message")
    String errorMessage;

    @Label("Alert")
    String alert;

    @Label("JA3")
    @Description("MD5 of the ClientHello's JA3 string")
    String ja3;

    @Label("JA4")
    String ja4;

}
