package io.tlsagent.hooks;

import io.tlsagent.bootstrap.TlsBridge;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSocket;
import net.bytebuddy.asm.Advice;

/**
 * Advice for TLS implementations other than SunJSSE, through the public JSSE API only. On the data path (after
 * the handshake) it costs one comparison of the result's handshake status: no allocation, no lock.
 */
final class PublicApiAdvice {

    private PublicApiAdvice() {}

    /** The constructors of {@code javax.net.ssl.SSLEngine} and {@code SSLSocket}, which every implementation calls. */
    static final class Created {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object engineOrSocket) {
            TlsBridge.tlsObjectCreated(engineOrSocket);
        }
    }

    /** Every concrete {@code SSLEngine.wrap}/{@code unwrap}. */
    static final class EngineResult {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This SSLEngine engine, @Advice.Return SSLEngineResult result,
                @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                TlsBridge.engineFailed(engine, thrown);
            } else if (result != null
                    && result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                TlsBridge.engineHandshakeStatus(engine, result.getHandshakeStatus());
            }
        }
    }

    /** {@code SSLSocket.startHandshake()}. */
    static final class StartHandshake {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            TlsBridge.socketHandshakeEnter();
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This SSLSocket socket, @Advice.Enter long startNanos,
                @Advice.Thrown Throwable thrown) {
            TlsBridge.socketHandshake(socket, startNanos, thrown);
        }
    }
}
