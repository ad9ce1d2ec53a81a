package io.tlsagent.capture;

import io.tlsagent.record.ErrorType;
import java.io.EOFException;
import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;

/**
 * Maps what a failing handshake left behind (the TLS alert and the exception chain) to an {@link ErrorType}.
 * The exception chain is more specific than the alert (JSSE sends {@code certificate_unknown} for most
 * certificate problems), so it is read first.
 */
public final class ErrorClassifier {

    private static final int MAX_CAUSE_DEPTH = 16;

    private ErrorClassifier() {}

    public static ErrorType classify(String alert, Throwable cause) {
        ErrorType fromCause = fromCauseChain(cause);
        if (fromCause != null) {
            return fromCause;
        }
        return fromAlert(alert);
    }

    static ErrorType fromCauseChain(Throwable cause) {
        boolean closed = false;
        Throwable t = cause;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return ErrorType.CERTIFICATE_EXPIRED;
            }
            if (t instanceof CertPathValidatorException) {
                CertPathValidatorException.Reason reason = ((CertPathValidatorException) t).getReason();
                if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
                    return ErrorType.CERTIFICATE_EXPIRED;
                }
                if (reason == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS
                        || reason == CertPathValidatorException.BasicReason.REVOKED) {
                    return ErrorType.BAD_CERTIFICATE;
                }
            }
            if (t instanceof CertPathBuilderException) {
                return ErrorType.CERTIFICATE_UNTRUSTED;
            }
            if (t instanceof CertificateException && isHostnameMismatch(t.getMessage())) {
                return ErrorType.CERTIFICATE_HOSTNAME_MISMATCH;
            }
            if (t instanceof EOFException || t instanceof SocketException
                    || "Remote host terminated the handshake".equals(t.getMessage())) {
                closed = true;
            }
        }
        return closed ? ErrorType.PEER_CLOSED : null;
    }

    /** JDK's HostnameChecker messages: "No subject alternative DNS name matching ...", "No name matching ...". */
    private static boolean isHostnameMismatch(String message) {
        return message != null
                && (message.startsWith("No subject alternative") || message.startsWith("No name matching"));
    }

    static ErrorType fromAlert(String alert) {
        if (alert == null) {
            return ErrorType.OTHER;
        }
        switch (alert) {
            case "protocol_version":
                return ErrorType.PROTOCOL_VERSION;
            case "handshake_failure":
            case "insufficient_security":
                return ErrorType.HANDSHAKE_FAILURE;
            case "certificate_expired":
                return ErrorType.CERTIFICATE_EXPIRED;
            case "unknown_ca":
                return ErrorType.CERTIFICATE_UNTRUSTED;
            case "bad_certificate":
            case "certificate_unknown":
            case "unsupported_certificate":
            case "certificate_revoked":
            case "certificate_required":
                return ErrorType.BAD_CERTIFICATE;
            case "no_application_protocol":
                return ErrorType.NO_APPLICATION_PROTOCOL;
            default:
                return ErrorType.OTHER;
        }
    }
}
