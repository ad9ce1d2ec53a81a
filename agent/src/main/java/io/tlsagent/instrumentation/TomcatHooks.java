package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.ConnectionEvents;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Tomcat's NIO and NIO2 connectors (9.0 to 11.0): {@code processSNI()} peeks at the ClientHello, makes the
 * connection's engine (with no peer) and returns 0 once it has; the engine's first unwrap comes after that.
 */
final class TomcatHooks extends LibraryHook {

    TomcatHooks() {
        super("org.apache.tomcat.util.net.SecureNioChannel", "org.apache.tomcat.util.net.SecureNio2Channel");
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(EngineMade.class).on(named("processSNI").and(takesArguments(0)).and(returns(int.class)));
    }

    static final class EngineMade {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel, @Advice.Return int result) {
            if (result != 0) {
                return; // more of the ClientHello is needed first
            }
            ConnectionEvents events = ConnectionEvents.current;
            if (events != null) {
                events.tomcatChannel(channel);
            }
        }
    }
}
