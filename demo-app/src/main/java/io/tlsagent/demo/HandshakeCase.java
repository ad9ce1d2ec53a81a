package io.tlsagent.demo;

import java.security.cert.CertPathBuilderException;

/** One entry of the demo's round: which API, which kind of handshake, which protocol the client offers. */
final class HandshakeCase {

    /** The kinds of handshake the demo makes. */
    enum Kind {
        /** A fresh client SSLContext: nothing to resume, so a full handshake. */
        FULL("full", false),
        /** The client SSLContext of the last full handshake, same host and port: the JDK offers that session. */
        RESUMED("resumed", false),
        /** The server presents a self-signed certificate the client does not trust. */
        UNTRUSTED("untrusted certificate", true),
        /** The client enables only TLSv1.2, the server only TLSv1.3. */
        VERSION_MISMATCH("version mismatch", true);

        final String label;
        final boolean failsOnPurpose;

        Kind(String label, boolean failsOnPurpose) {
            this.label = label;
            this.failsOnPurpose = failsOnPurpose;
        }

        /** Whether the client's failure is the one this kind makes happen. */
        boolean isExpected(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (this == VERSION_MISMATCH && String.valueOf(t.getMessage()).contains("protocol_version")) {
                    return true;
                }
                if (this == UNTRUSTED && t instanceof CertPathBuilderException) {
                    return true;
                }
            }
            return false;
        }
    }

    final Workload workload;
    final Kind kind;
    final String protocol;

    HandshakeCase(Workload workload, Kind kind, String protocol) {
        this.workload = workload;
        this.kind = kind;
        this.protocol = protocol;
    }

    String label() {
        if (kind == Kind.VERSION_MISMATCH) {
            return workload.api() + " " + kind.label + " (client " + protocol + " only, server TLSv1.3 only)";
        }
        return workload.api() + " " + protocol + " " + kind.label;
    }
}
