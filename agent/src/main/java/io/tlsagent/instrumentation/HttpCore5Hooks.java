package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.tlsagent.bootstrap.ConnectionEvents;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Apache HttpComponents Core 5 ({@code SSLIOSession}, under HttpClient 5's async client and Core's async server):
 * its constructors make the engine over the connected {@code IOSession}; the handshake begins later. In 5.2+ one
 * constructor delegates to the other, so the agent may hear of one session twice.
 */
final class HttpCore5Hooks extends LibraryHook {

    HttpCore5Hooks() {
        super("org.apache.hc.core5.reactor.ssl.SSLIOSession");
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(Made.class).on(isConstructor()
                .and(takesArgument(1, named("org.apache.hc.core5.reactor.IOSession"))));
    }

    static final class Made {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object sslIoSession, @Advice.Argument(1) Object ioSession) {
            ConnectionEvents events = ConnectionEvents.current;
            if (events != null) {
                events.httpCore5Session(sslIoSession, ioSession);
            }
        }
    }
}
