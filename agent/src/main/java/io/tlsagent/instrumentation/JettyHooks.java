package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.ConnectionEvents;
import javax.net.ssl.SSLEngine;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Jetty 12's {@code SslConnection}, on servers and in Jetty's client: its canonical constructor
 * {@code (ByteBufferPool, Executor, SslContextFactory, EndPoint, SSLEngine, boolean, boolean)}, to which the others
 * delegate, runs after the TCP connection is established and before the handshake starts.
 */
final class JettyHooks extends LibraryHook {

    JettyHooks() {
        super("org.eclipse.jetty.io.ssl.SslConnection");
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(Made.class).on(isConstructor().and(takesArguments(7)).and(takesArgument(4, SSLEngine.class)));
    }

    static final class Made {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(3) Object endPoint, @Advice.Argument(4) SSLEngine engine) {
            ConnectionEvents events = ConnectionEvents.current;
            if (events != null) {
                events.jettyConnection(engine, endPoint);
            }
        }
    }
}
