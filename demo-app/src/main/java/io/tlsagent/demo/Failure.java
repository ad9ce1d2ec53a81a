package io.tlsagent.demo;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;

/**
 * The handshake failures the demo makes on purpose, the ones operators meet, and how to recognise each in the
 * client's exception. {@link #errorType} is the agent's {@code result} label (error type) it leads to: on the
 * client's side, except for the missing client certificate, which only the server's side records as a failed
 * handshake (in TLS 1.3 the client's handshake is complete when the server rejects it; the client learns it
 * from the server's alert at its first read).
 */
enum Failure {

    CERTIFICATE_EXPIRED("expired certificate", "certificate_expired") {
        @Override
        boolean matches(Throwable t) {
            return t instanceof CertificateExpiredException
                    || t instanceof CertPathValidatorException && ((CertPathValidatorException) t).getReason()
                            == CertPathValidatorException.BasicReason.EXPIRED;
        }
    },
    CERTIFICATE_UNTRUSTED("untrusted CA", "certificate_untrusted") {
        @Override
        boolean matches(Throwable t) {
            return t instanceof CertPathBuilderException;
        }
    },
    HOSTNAME_MISMATCH("hostname mismatch", "certificate_hostname_mismatch") {
        @Override
        boolean matches(Throwable t) {
            String m = String.valueOf(t.getMessage());
            return t instanceof CertificateException
                    && (m.startsWith("No subject alternative") || m.startsWith("No name matching"));
        }
    },
    PROTOCOL_VERSION("protocol version mismatch", "protocol_version") {
        @Override
        boolean matches(Throwable t) {
            return String.valueOf(t.getMessage()).contains("protocol_version");
        }
    },
    NO_COMMON_CIPHER("no common cipher suite", "handshake_failure") {
        @Override
        boolean matches(Throwable t) {
            return String.valueOf(t.getMessage()).contains("handshake_failure");
        }
    },
    CLIENT_CERTIFICATE_MISSING("mutual TLS without a client certificate", "bad_certificate") {
        @Override
        boolean matches(Throwable t) {
            String m = String.valueOf(t.getMessage());
            return m.contains("bad_certificate") || m.contains("certificate_required");
        }
    };

    final String label;
    final String errorType;

    Failure(String label, String errorType) {
        this.label = label;
        this.errorType = errorType;
    }

    abstract boolean matches(Throwable t);

    /** Whether the failure, or one of its causes, is this one. */
    boolean isCauseOf(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (matches(t)) {
                return true;
            }
        }
        return false;
    }
}
