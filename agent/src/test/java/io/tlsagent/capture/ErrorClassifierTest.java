package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.record.ErrorType;
import java.io.EOFException;
import java.net.SocketException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorClassifierTest {

    /** Like the JDK: SSLHandshakeException(String, Throwable) only exists from Java 19 on. */
    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    /** The JDK's sun.security.validator.ValidatorException sits between; a plain CertificateException stands in. */
    private static CertificateException validator(String message, Throwable cause) {
        return new CertificateException(message, cause);
    }

    private static CertPath emptyPath() throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertPath(List.of());
    }

    @Test
    void expiredCertificateDeepInTheChain() {
        CertificateExpiredException expired = new CertificateExpiredException("NotAfter: Mon Jan 01 00:00:00 UTC 2024");
        CertPathValidatorException validation = new CertPathValidatorException("validity check failed", expired);
        Throwable top = handshake("PKIX path validation failed: " + validation,
                validator("PKIX path validation failed", validation));

        assertThat(ErrorClassifier.classify("certificate_unknown", top)).isEqualTo(ErrorType.CERTIFICATE_EXPIRED);
        assertThat(ErrorClassifier.classify(null, top)).isEqualTo(ErrorType.CERTIFICATE_EXPIRED);
    }

    @Test
    void validatorReasonExpired() throws Exception {
        CertPathValidatorException validation = new CertPathValidatorException("validity check failed", null,
                emptyPath(), -1, CertPathValidatorException.BasicReason.EXPIRED);
        Throwable top = handshake("PKIX path validation failed", validator("PKIX path validation failed", validation));

        assertThat(ErrorClassifier.classify("certificate_unknown", top)).isEqualTo(ErrorType.CERTIFICATE_EXPIRED);
    }

    @Test
    void validatorReasonRevokedOrUndeterminedIsBadCertificate() throws Exception {
        for (CertPathValidatorException.BasicReason reason : List.of(CertPathValidatorException.BasicReason.REVOKED,
                CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS)) {
            CertPathValidatorException validation = new CertPathValidatorException("revocation", null,
                    emptyPath(), -1, reason);
            assertThat(ErrorClassifier.classify(null, handshake("x", validation)))
                    .as(reason.name())
                    .isEqualTo(ErrorType.BAD_CERTIFICATE);
        }
    }

    @Test
    void pathBuilderFailureIsUntrusted() {
        CertPathBuilderException build = new CertPathBuilderException(
                "unable to find valid certification path to requested target");
        Throwable top = handshake("PKIX path building failed: " + build,
                validator("PKIX path building failed", build));

        assertThat(ErrorClassifier.classify("certificate_unknown", top)).isEqualTo(ErrorType.CERTIFICATE_UNTRUSTED);
    }

    @Test
    void pathBuilderSubclassIsUntrusted() {
        CertPathBuilderException build = new CertPathBuilderException("no path") {
            private static final long serialVersionUID = 1L;
        };
        assertThat(ErrorClassifier.classify(null, handshake("x", build))).isEqualTo(ErrorType.CERTIFICATE_UNTRUSTED);
    }

    @Test
    void hostnameMismatch() {
        CertificateException mismatch = new CertificateException("No subject alternative DNS name matching foo found.");
        Throwable top = handshake("No subject alternative DNS name matching foo found.", mismatch);

        assertThat(ErrorClassifier.classify("certificate_unknown", top))
                .isEqualTo(ErrorType.CERTIFICATE_HOSTNAME_MISMATCH);
        assertThat(ErrorClassifier.classify(null, mismatch)).isEqualTo(ErrorType.CERTIFICATE_HOSTNAME_MISMATCH);
    }

    @Test
    void otherHostnameCheckerMessages() {
        for (String message : List.of("No subject alternative names matching IP address 10.0.0.1 found",
                "No subject alternative names present", "No name matching foo.example found")) {
            assertThat(ErrorClassifier.classify(null, handshake(message, new CertificateException(message))))
                    .as(message)
                    .isEqualTo(ErrorType.CERTIFICATE_HOSTNAME_MISMATCH);
        }
    }

    @Test
    void certificateExceptionWithOtherMessageIsNotAMismatch() {
        assertThat(ErrorClassifier.classify(null, new CertificateException("Could not parse certificate")))
                .isEqualTo(ErrorType.OTHER);
        assertThat(ErrorClassifier.classify(null, new CertificateException((String) null)))
                .isEqualTo(ErrorType.OTHER);
    }

    @Test
    void remoteHostTerminatedIsPeerClosed() {
        Throwable top = handshake("Remote host terminated the handshake", new EOFException("SSL peer shut down incorrectly"));

        assertThat(ErrorClassifier.classify(null, top)).isEqualTo(ErrorType.PEER_CLOSED);
    }

    @Test
    void remoteHostTerminatedMessageAloneIsPeerClosed() {
        assertThat(ErrorClassifier.classify(null, new SSLHandshakeException("Remote host terminated the handshake")))
                .isEqualTo(ErrorType.PEER_CLOSED);
    }

    @Test
    void socketExceptionIsPeerClosed() {
        assertThat(ErrorClassifier.classify(null, new SocketException("Connection reset")))
                .isEqualTo(ErrorType.PEER_CLOSED);
        SSLException wrapped = new SSLException("Connection reset", new SocketException("Connection reset"));
        assertThat(ErrorClassifier.classify(null, wrapped)).isEqualTo(ErrorType.PEER_CLOSED);
    }

    @Test
    void certificateCauseBeatsPeerClosed() {
        CertPathBuilderException build = new CertPathBuilderException("no path");
        SocketException closed = new SocketException("Broken pipe");
        closed.initCause(build);

        assertThat(ErrorClassifier.classify(null, closed)).isEqualTo(ErrorType.CERTIFICATE_UNTRUSTED);
    }

    @Test
    void chainWithoutKnownCauseFallsBackToAlert() {
        Throwable top = handshake("Received fatal alert: protocol_version", null);

        assertThat(ErrorClassifier.classify("protocol_version", top)).isEqualTo(ErrorType.PROTOCOL_VERSION);
        assertThat(ErrorClassifier.classify("handshake_failure", new RuntimeException("boom")))
                .isEqualTo(ErrorType.HANDSHAKE_FAILURE);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "protocol_version, PROTOCOL_VERSION",
        "handshake_failure, HANDSHAKE_FAILURE",
        "insufficient_security, HANDSHAKE_FAILURE",
        "certificate_expired, CERTIFICATE_EXPIRED",
        "unknown_ca, CERTIFICATE_UNTRUSTED",
        "bad_certificate, BAD_CERTIFICATE",
        "certificate_unknown, BAD_CERTIFICATE",
        "unsupported_certificate, BAD_CERTIFICATE",
        "certificate_revoked, BAD_CERTIFICATE",
        "certificate_required, BAD_CERTIFICATE",
        "no_application_protocol, NO_APPLICATION_PROTOCOL",
        "internal_error, OTHER",
        "something_new, OTHER",
        "PROTOCOL_VERSION, OTHER",
        "'', OTHER"
    })
    void alertOnly(String alert, ErrorType expected) {
        assertThat(ErrorClassifier.fromAlert(alert)).isEqualTo(expected);
        assertThat(ErrorClassifier.classify(alert, null)).isEqualTo(expected);
    }

    @Test
    void nullAlertAndNoCauseIsOther() {
        assertThat(ErrorClassifier.fromAlert(null)).isEqualTo(ErrorType.OTHER);
        assertThat(ErrorClassifier.classify(null, null)).isEqualTo(ErrorType.OTHER);
    }

    @Test
    @Timeout(10)
    void cyclicCauseChainTerminates() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b); // a -> b -> a -> ...

        assertThat(ErrorClassifier.classify("unknown_ca", a)).isEqualTo(ErrorType.CERTIFICATE_UNTRUSTED);
        assertThat(ErrorClassifier.classify(null, a)).isEqualTo(ErrorType.OTHER);
    }

    @Test
    @Timeout(10)
    void cyclicChainWithSocketExceptionIsStillPeerClosed() {
        SocketException a = new SocketException("reset");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(ErrorClassifier.classify(null, b)).isEqualTo(ErrorType.PEER_CLOSED);
    }

    @Test
    @Timeout(10)
    void veryDeepChainTerminates() {
        Throwable t = new CertificateExpiredException("at the very bottom");
        for (int i = 0; i < 100_000; i++) {
            t = new RuntimeException(null, t);
        }

        assertThat(ErrorClassifier.classify("handshake_failure", t)).isEqualTo(ErrorType.HANDSHAKE_FAILURE);
    }

    @Test
    @Timeout(10)
    void endlessSelfInventingChainTerminates() {
        Throwable endless = new Endless();

        assertThat(ErrorClassifier.classify(null, endless)).isEqualTo(ErrorType.OTHER);
    }

    /** A cause chain that never ends: every getCause() makes a new one. */
    private static final class Endless extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Endless() {
            super("endless", null, false, false);
        }

        @Override
        public synchronized Throwable getCause() {
            return new Endless();
        }
    }
}
