package io.tlsagent.hooks;

import io.tlsagent.bootstrap.TlsBridge;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into SunJSSE ({@code sun.security.ssl}). Each piece is static and stateless, touches only JDK
 * types and {@link TlsBridge}, and suppresses every Throwable so the JDK's own behaviour never changes.
 * Internals are passed on as plain objects: no field is named here, so a field missing in one JDK version can
 * never fail the transformation of a class.
 */
final class SunJsseAdvice {

    private SunJsseAdvice() {}

    /** {@code HandshakeContext.dispatch(byte, Plaintext)}: a handshake message arrived. */
    static final class InboundMessage {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object handshakeContext, @Advice.Argument(0) byte type,
                @Advice.Argument(1) Object plaintext) {
            TlsBridge.inboundMessage(handshakeContext, type, plaintext);
        }
    }

    /** {@code CertificateMessage.T12/T13CertificateConsumer.checkServerCerts/checkClientCerts}: the trust check. */
    static final class TrustCheck {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object handshakeContext) {
            TlsBridge.trustCheckStarted(handshakeContext);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object handshakeContext, @Advice.Thrown Throwable thrown) {
            TlsBridge.trustCheckEnded(handshakeContext, thrown);
        }
    }

    /** {@code SSLHandshake.HandshakeMessage.write(HandshakeOutStream)}: a handshake message is sent. */
    static final class OutboundMessage {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object message, @Advice.Argument(0) Object handshakeOutStream) {
            TlsBridge.outboundMessage(message, handshakeOutStream);
        }
    }

    /** {@code TransportContext.finishHandshake()}: entered once per successful handshake. */
    static final class Finish {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transportContext) {
            TlsBridge.handshakeFinished(transportContext);
        }
    }

    /** {@code TransportContext.fatal(Alert, String, boolean, Throwable)}: always throws, so hook the entry. */
    static final class Fatal {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object transportContext, @Advice.Argument(0) Object alert,
                @Advice.Argument(1) String diagnostic, @Advice.Argument(2) boolean alertReceived,
                @Advice.Argument(3) Throwable cause) {
            TlsBridge.fatal(transportContext, alert, diagnostic, alertReceived, cause);
        }
    }

    /** {@code SSLEngineImpl.closeInbound()}: the application saw its transport end. */
    static final class EngineCloseInbound {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object engine) {
            TlsBridge.engineInboundClosed(engine);
        }
    }
}
