package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.ConnectionEvents;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Netty's {@code SslHandler}, and the same class relocated inside grpc-netty-shaded: the handler holds the engine,
 * and learns its channel when it is added to a pipeline ({@code handlerAdded}) or the channel becomes active
 * ({@code channelActive}); both are entered before the engine's first wrap or unwrap of a server, and a client's
 * channel is connected by {@code channelActive} at the latest. Reactor Netty, Vert.x, gRPC-Java and Armeria use it.
 * The parameter type is not named, since it is relocated too.
 */
final class NettyHooks extends LibraryHook {

    NettyHooks() {
        super("io.netty.handler.ssl.SslHandler", "io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler");
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(ChannelKnown.class).on(namedOneOf("handlerAdded", "channelActive").and(takesArguments(1))
                .and(isPublic()));
    }

    static final class ChannelKnown {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object handler, @Advice.Argument(0) Object context) {
            ConnectionEvents events = ConnectionEvents.current;
            if (events != null) {
                events.nettyHandler(handler, context);
            }
        }
    }
}
