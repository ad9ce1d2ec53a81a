package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.tlsagent.bootstrap.ConnectionEvents;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * The JDK's {@code com.sun.net.httpserver.HttpsServer} (JDK 11 to 25): each accepted channel gets an
 * {@code SSLStreams}, whose {@code EngineWrapper(SSLStreams, SocketChannel, SSLEngine)} pairs the two before the
 * first byte is read. The JDK makes that engine with the client's reverse-resolved host name and no local port.
 */
final class JdkHttpServerHooks extends LibraryHook {

    JdkHttpServerHooks() {
        super("sun.net.httpserver.SSLStreams$EngineWrapper");
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(Paired.class).on(isConstructor().and(takesArgument(1, SocketChannel.class))
                .and(takesArgument(2, SSLEngine.class)));
    }

    static final class Paired {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) SocketChannel channel, @Advice.Argument(2) SSLEngine engine) {
            ConnectionEvents events = ConnectionEvents.current;
            if (events != null) {
                events.httpServerEngine(engine, channel);
            }
        }
    }
}
