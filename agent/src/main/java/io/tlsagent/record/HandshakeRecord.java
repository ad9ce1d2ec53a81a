package io.tlsagent.record;

import java.time.Instant;
import java.util.List;

/**
 * Everything the agent learned about one handshake, seen from one side. Immutable; built by the capture on the
 * handshake's thread with the raw {@link #capture()}, completed once on the export thread (anatomy, peer
 * certificate), read by the exporters. Absent values are {@code null} (or -1 for numbers): never a guess.
 */
public final class HandshakeRecord {

    private final Instant timestamp;
    private final Role role;
    private final Api api;
    private final String provider;
    private final String protocol;
    private final String cipherSuite;
    private final Boolean resumed;
    private final Resumption resumption;
    private final long durationNanos;
    private final String peerAddress;
    private final int peerPort;
    private final String localAddress;
    private final int localPort;
    private final String peerDomain;
    private final String serverName;
    private final String applicationProtocol;
    private final String namedGroup;
    private final CertificateInfo peerCertificate;
    private final ErrorType error;
    private final String alert;
    private final boolean alertReceived;
    private final String errorMessage;
    private final String threadName;
    private final List<HandshakeMessage> messages;
    private final HandshakeAnatomy anatomy;
    private final TraceContext trace;
    private final HandshakeCapture capture;

    private HandshakeRecord(Builder b) {
        this.timestamp = b.timestamp;
        this.role = b.role;
        this.api = b.api;
        this.provider = b.provider;
        this.protocol = b.protocol;
        this.cipherSuite = b.cipherSuite;
        this.resumed = b.resumed;
        this.resumption = b.resumption;
        this.durationNanos = b.durationNanos;
        this.peerAddress = b.peerAddress;
        this.peerPort = b.peerPort;
        this.localAddress = b.localAddress;
        this.localPort = b.localPort;
        this.peerDomain = b.peerDomain;
        this.serverName = b.serverName;
        this.applicationProtocol = b.applicationProtocol;
        this.namedGroup = b.namedGroup;
        this.peerCertificate = b.peerCertificate;
        this.error = b.error;
        this.alert = b.alert;
        this.alertReceived = b.alertReceived;
        this.errorMessage = b.errorMessage;
        this.threadName = b.threadName;
        this.messages = List.copyOf(b.messages);
        this.anatomy = b.anatomy;
        this.trace = b.trace;
        this.capture = b.capture;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of this record, to make a changed copy (the export side completes records). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.timestamp = timestamp;
        b.role = role;
        b.api = api;
        b.provider = provider;
        b.protocol = protocol;
        b.cipherSuite = cipherSuite;
        b.resumed = resumed;
        b.resumption = resumption;
        b.durationNanos = durationNanos;
        b.peerAddress = peerAddress;
        b.peerPort = peerPort;
        b.localAddress = localAddress;
        b.localPort = localPort;
        b.peerDomain = peerDomain;
        b.serverName = serverName;
        b.applicationProtocol = applicationProtocol;
        b.namedGroup = namedGroup;
        b.peerCertificate = peerCertificate;
        b.error = error;
        b.alert = alert;
        b.alertReceived = alertReceived;
        b.errorMessage = errorMessage;
        b.threadName = threadName;
        b.messages = messages;
        b.anatomy = anatomy;
        b.trace = trace;
        b.capture = capture;
        return b;
    }

    /** When the handshake ended (wall clock). */
    public Instant timestamp() {
        return timestamp;
    }

    public Role role() {
        return role;
    }

    public Api api() {
        return api;
    }

    /** The TLS implementation, e.g. {@code SunJSSE}. */
    public String provider() {
        return provider;
    }

    /** Negotiated version as JSSE names it ({@code TLSv1.3}); null when none was negotiated. */
    public String protocol() {
        return protocol;
    }

    /** Negotiated cipher suite (IANA name); null when none was negotiated. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** Null when the TLS implementation cannot tell. */
    public Boolean resumed() {
        return resumed;
    }

    /** How the session was resumed; {@link Resumption#NONE} for a full handshake, null when unknown. */
    public Resumption resumption() {
        return resumption;
    }

    /** From the first handshake message sent or received to completion; -1 when no message was seen. */
    public long durationNanos() {
        return durationNanos;
    }

    /** The peer's IP, as the connection's transport gave it (never a name, never looked up); null when unknown. */
    public String peerAddress() {
        return peerAddress;
    }

    public int peerPort() {
        return peerPort;
    }

    /** This side's IP on the connection; null when unknown. */
    public String localAddress() {
        return localAddress;
    }

    public int localPort() {
        return localPort;
    }

    /** The peer's host name as the application named it (a client's target host); null when it gave none. */
    public String peerDomain() {
        return peerDomain;
    }

    /** SNI host name the client requested. */
    public String serverName() {
        return serverName;
    }

    /** ALPN protocol negotiated. */
    public String applicationProtocol() {
        return applicationProtocol;
    }

    /** Key-exchange group, e.g. {@code x25519}. */
    public String namedGroup() {
        return namedGroup;
    }

    /**
     * The peer's leaf certificate, from the session (what the public API shows); made on the export thread from
     * {@link #capture()}, so null in a record the capture has just made.
     */
    public CertificateInfo peerCertificate() {
        return peerCertificate;
    }

    public boolean success() {
        return error == null;
    }

    /** Null on success. */
    public ErrorType error() {
        return error;
    }

    /** TLS alert name (e.g. {@code protocol_version}) of a failure, null if none. */
    public String alert() {
        return alert;
    }

    /** True if the peer sent the alert, false if this side sent it. */
    public boolean alertReceived() {
        return alertReceived;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public String threadName() {
        return threadName;
    }

    /**
     * What the handshake's messages showed (SunJSSE only); null when not captured. Made on the export thread from
     * {@link #capture()} before any exporter there sees the record.
     */
    public HandshakeAnatomy anatomy() {
        return anatomy;
    }

    /** The span current where a client handshake started; null when none was (or on the server side). */
    public TraceContext trace() {
        return trace;
    }

    /**
     * The raw capture the handshake's thread took (hello bytes, certificate references), until the export thread
     * has made the anatomy and the peer's certificate summary from it; null after that, or when nothing was taken.
     */
    public HandshakeCapture capture() {
        return capture;
    }

    /** The handshake messages in order (SunJSSE only; empty when not known). */
    public List<HandshakeMessage> messages() {
        return messages;
    }

    /** Collects the values of one record; not thread-safe. */
    public static final class Builder {
        private Instant timestamp;
        private Role role;
        private Api api;
        private String provider;
        private String protocol;
        private String cipherSuite;
        private Boolean resumed = Boolean.FALSE;
        private Resumption resumption;
        private long durationNanos = -1;
        private String peerAddress;
        private int peerPort = -1;
        private String localAddress;
        private int localPort = -1;
        private String peerDomain;
        private String serverName;
        private String applicationProtocol;
        private String namedGroup;
        private CertificateInfo peerCertificate;
        private ErrorType error;
        private String alert;
        private boolean alertReceived;
        private String errorMessage;
        private String threadName;
        private List<HandshakeMessage> messages = List.of();
        private HandshakeAnatomy anatomy;
        private TraceContext trace;
        private HandshakeCapture capture;

        private Builder() {}

        public Builder timestamp(Instant v) { timestamp = v; return this; }
        public Builder role(Role v) { role = v; return this; }
        public Builder api(Api v) { api = v; return this; }
        public Builder provider(String v) { provider = v; return this; }
        public Builder protocol(String v) { protocol = v; return this; }
        public Builder cipherSuite(String v) { cipherSuite = v; return this; }
        public Builder resumed(Boolean v) { resumed = v; return this; }
        public Builder resumption(Resumption v) { resumption = v; return this; }
        public Builder durationNanos(long v) { durationNanos = v; return this; }
        public Builder peerAddress(String v) { peerAddress = v; return this; }
        public Builder peerPort(int v) { peerPort = v; return this; }
        public Builder localAddress(String v) { localAddress = v; return this; }
        public Builder localPort(int v) { localPort = v; return this; }
        public Builder peerDomain(String v) { peerDomain = v; return this; }
        public Builder serverName(String v) { serverName = v; return this; }
        public Builder applicationProtocol(String v) { applicationProtocol = v; return this; }
        public Builder namedGroup(String v) { namedGroup = v; return this; }
        public Builder peerCertificate(CertificateInfo v) { peerCertificate = v; return this; }
        public Builder error(ErrorType v) { error = v; return this; }
        public Builder alert(String v) { alert = v; return this; }
        public Builder alertReceived(boolean v) { alertReceived = v; return this; }
        public Builder errorMessage(String v) { errorMessage = v; return this; }
        public Builder threadName(String v) { threadName = v; return this; }
        public Builder messages(List<HandshakeMessage> v) { messages = v; return this; }
        public Builder anatomy(HandshakeAnatomy v) { anatomy = v; return this; }
        public Builder trace(TraceContext v) { trace = v; return this; }
        public Builder capture(HandshakeCapture v) { capture = v; return this; }

        /** The role set so far. */
        public Role role() {
            return role;
        }

        /** The version set so far (the anatomy needs it before the record is built). */
        public String protocol() {
            return protocol;
        }

        /** The cipher suite set so far (the anatomy's findings need it before the record is built). */
        public String cipherSuite() {
            return cipherSuite;
        }

        public HandshakeRecord build() {
            return new HandshakeRecord(this);
        }
    }
}
