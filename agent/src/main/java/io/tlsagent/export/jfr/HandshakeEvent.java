package io.tlsagent.export.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * One TLS handshake, seen from one side, as a JDK Flight Recorder event. Enabled and without a threshold or a
 * stack trace, so any recording (also one with the JDK's default settings) records it.
 *
 * <p>The event is committed when the handshake has ended, and {@code jdk.jfr.Event} has no API to set a start
 * time in the past (JDK 11 to 25): the event's own {@code startTime} is therefore the end of the handshake and its
 * {@code duration} zero. The handshake's real start and duration are {@link #handshakeStart} and
 * {@link #handshakeDuration}.
 */
@Name(HandshakeEvent.NAME)
@Label("TLS Handshake")
@Description("A TLS handshake seen by tls-agent, one event per handshake and side (failures too)")
@Category({"TLS", "tls-agent"})
@Enabled(true)
@StackTrace(false)
final class HandshakeEvent extends jdk.jfr.Event {

    static final String NAME = "tlsagent.Handshake";

    @Label("Handshake Start")
    @Description("When the first handshake message was sent or received")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long handshakeStart;

    @Label("Handshake Duration")
    @Description("From the first handshake message to completion (or failure); -1 when no message was seen")
    @Timespan(Timespan.NANOSECONDS)
    long handshakeDuration;

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
    String peerAddress;

    @Label("Peer Port")
    int peerPort;

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
