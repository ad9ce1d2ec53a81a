package io.tlsagent.demo;

import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * One kind of client handshake the demo makes, again and again: which client API, against which server, with
 * which protocols, cipher suites and key-exchange group, with or without a client certificate, and whether it
 * succeeds or fails (and how). Each scenario has its own client SSLContext, so its own client session cache: a
 * resumption reuses the session of this scenario's previous handshake; a full handshake first invalidates it.
 */
final class Scenario {

    /** {@code SSLParameters.setNamedGroups} (JDK 20+), or null on older JDKs. */
    private static final Method SET_NAMED_GROUPS = namedGroupsSetter();

    final String name;
    final ClientApi api;
    final Server server;
    final String[] protocols;
    final String[] cipherSuites;
    final String namedGroup;
    final Failure failure;
    final int weight;
    private final SSLContext context;
    private final ClientApi.Connector connector;
    private long handshakes;
    private boolean lastResumed;

    private Scenario(Builder b) throws GeneralSecurityException {
        this.api = b.api;
        this.server = b.server;
        this.protocols = b.protocols;
        this.cipherSuites = b.cipherSuites;
        this.namedGroup = b.namedGroup != null && SET_NAMED_GROUPS != null ? b.namedGroup : null;
        this.failure = b.failure;
        this.weight = b.weight;
        this.context = b.pki.clientContext(b.clientCertificate);
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(protocols);
        if (cipherSuites != null) {
            parameters.setCipherSuites(cipherSuites);
        }
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (namedGroup != null) {
            try {
                SET_NAMED_GROUPS.invoke(parameters, (Object) new String[] {namedGroup});
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        this.connector = api.connector(context, parameters, server.port());
        this.name = b.api.label() + " -> " + server.name() + ": " + String.join("/", protocols)
                + (cipherSuites != null ? " " + String.join("/", cipherSuites) : "")
                + (namedGroup != null ? " group " + namedGroup : "")
                + (b.clientCertificate ? " with client certificate" : "")
                + (b.note != null ? " (" + b.note + ")" : "")
                + (failure != null ? " => fails: " + failure.label : "");
    }

    static Builder of(DemoPki pki, ClientApi api, Server server, String... protocols) {
        return new Builder(pki, api, server, protocols);
    }

    /**
     * One handshake. Whether it tries to resume follows the share: this scenario's handshake number n (from 0,
     * which has nothing to resume) offers the previous session when floor((n+1) * share) > floor(n * share), so
     * the share holds over any run. Otherwise the cached sessions are invalidated first and the handshake is a full
     * one. A failing scenario never resumes.
     *
     * @return what was negotiated
     */
    String handshake(double resumeShare) throws Exception {
        long n = handshakes++;
        lastResumed = failure == null && n > 0 && Math.floor((n + 1) * resumeShare) > Math.floor(n * resumeShare);
        if (!lastResumed) {
            invalidateClientSessions(context.getClientSessionContext());
        }
        return connector.exchange();
    }

    /** Whether the last {@link #handshake} offered a session to resume. */
    boolean lastResumed() {
        return lastResumed;
    }

    /** Makes the cached client sessions unusable, so that the next handshake is a full one. */
    private static void invalidateClientSessions(SSLSessionContext sessions) {
        List<byte[]> ids = new ArrayList<>();
        for (Enumeration<byte[]> e = sessions.getIds(); e.hasMoreElements(); ) {
            ids.add(e.nextElement());
        }
        for (byte[] id : ids) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }

    private static Method namedGroupsSetter() {
        try {
            return SSLParameters.class.getMethod("setNamedGroups", String[].class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static boolean namedGroupsSupported() {
        return SET_NAMED_GROUPS != null;
    }

    static List<Scenario> build(List<Builder> builders) throws GeneralSecurityException {
        List<Scenario> scenarios = new ArrayList<>();
        for (Builder b : builders) {
            scenarios.add(b.build());
        }
        return Collections.unmodifiableList(scenarios);
    }

    static final class Builder {
        private final DemoPki pki;
        private final ClientApi api;
        private final Server server;
        private final String[] protocols;
        private String[] cipherSuites;
        private String namedGroup;
        private boolean clientCertificate;
        private Failure failure;
        private String note;
        private int weight = 1;

        private Builder(DemoPki pki, ClientApi api, Server server, String[] protocols) {
            this.pki = pki;
            this.api = api;
            this.server = server;
            this.protocols = protocols;
        }

        Builder suites(String... suites) {
            this.cipherSuites = suites;
            return this;
        }

        /** Applied on JDK 20+ only (SSLParameters.setNamedGroups); before, the JVM's default groups. */
        Builder group(String group) {
            this.namedGroup = group;
            return this;
        }

        Builder clientCertificate() {
            this.clientCertificate = true;
            return this;
        }

        Builder fails(Failure failure) {
            this.failure = failure;
            return this;
        }

        Builder note(String note) {
            this.note = note;
            return this;
        }

        Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        Scenario build() throws GeneralSecurityException {
            return new Scenario(this);
        }
    }
}
