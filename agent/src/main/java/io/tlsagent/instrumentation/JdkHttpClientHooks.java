package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.ConnectionEvents;
import javax.net.ssl.SSLEngine;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * The JDK's {@code java.net.http.HttpClient} (JDK 11 to 25): once its TCP connection is up, it wraps the connection's
 * {@code SocketTube} in an {@code SSLTube(SSLEngine, Executor, Consumer, FlowTube)}, whose constructor already sends
 * the ClientHello; hence advice on entry. HTTP/1.1, HTTP/2 and WebSocket connections all pass here.
 */
final class JdkHttpClientHooks extends LibraryHook {

    JdkHttpClientHooks() {
        super("jdk.internal.net.http.common.SSLTube");
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(Wrapping.class).on(isConstructor().and(takesArguments(4))
                .and(takesArgument(0, SSLEngine.class)));
    }

    static final class Wrapping {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) SSLEngine engine, @Advice.Argument(3) Object socketTube) {
            ConnectionEvents events = ConnectionEvents.current;
            if (events != null) {
                events.httpClientTube(engine, socketTube);
            }
        }
    }
}
