package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.ConnectionEvents;
import javax.net.ssl.SSLEngine;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Undertow 2.3/2.4: {@code UndertowSslConnection(StreamConnection, SSLEngine, ByteBufferPool, Executor)}, made for
 * every accepted (and every client) TLS connection before its handshake starts.
 */
final class UndertowHooks extends LibraryHook {

    UndertowHooks() {
        super("io.undertow.protocols.ssl.UndertowSslConnection");
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(Made.class).on(isConstructor().and(takesArguments(4)).and(takesArgument(1, SSLEngine.class)));
    }

    static final class Made {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object streamConnection, @Advice.Argument(1) SSLEngine engine) {
            ConnectionEvents events = ConnectionEvents.current;
            if (events != null) {
                events.undertowConnection(engine, streamConnection);
            }
        }
    }
}
