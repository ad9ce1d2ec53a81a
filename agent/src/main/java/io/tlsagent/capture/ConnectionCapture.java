package io.tlsagent.capture;

import static io.tlsagent.capture.LibraryAccess.address;
import static io.tlsagent.capture.LibraryAccess.get;

import io.tlsagent.bootstrap.ConnectionEvents;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.OwnConnections;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;

/**
 * Binds each engine that a known library pairs with a connection to that connection's ends ({@link
 * ConnectionBindings}), read at that moment, when the connection is surely open: a channel closed by a failed
 * handshake no longer tells its addresses. The library's objects are read through their public getters (fields
 * where there are none), found once per class ({@link LibraryAccess}); a library that is not as expected is not
 * bound, and its records say what the engine knows, as before.
 */
final class ConnectionCapture extends ConnectionEvents {

    private final ConnectionBindings bindings;
    private final AgentErrors errors;

    ConnectionCapture(ConnectionBindings bindings, AgentErrors errors) {
        this.bindings = bindings;
        this.errors = errors;
    }

    /**
     * The agent's own connections are not the application's: its HTTPS endpoint (a JDK HttpsServer, on its own
     * threads) and its OTLP push (the JDK's HttpClient, with engines it marked).
     */
    private static boolean ours(Object engine) {
        return Thread.currentThread().getName().startsWith("tls-agent-") || OwnConnections.contains(engine);
    }

    @Override
    public void httpServerEngine(SSLEngine engine, SocketChannel channel) {
        if (!ours(engine)) {
            bind(engine, channel);
        }
    }

    @Override
    public void tomcatChannel(Object secureChannel) {
        try {
            Tomcat t = TOMCAT.get(secureChannel.getClass());
            Object engine = get(t.engine, secureChannel);
            if (engine != null) {
                bindings.bind(engine, channelEnds(get(t.channel, secureChannel)));
            }
        } catch (Throwable e) {
            errors.record("binding a Tomcat connection", e);
        }
    }

    @Override
    public void nettyHandler(Object sslHandler, Object channelHandlerContext) {
        try {
            Netty n = NETTY.get(sslHandler.getClass());
            Object engine = n.unwrap(get(n.engine, sslHandler));
            if (engine == null || bindings.isBound(engine)) {
                return; // a server's channelActive after its handlerAdded
            }
            Object channel = get(n.channel, channelHandlerContext);
            ConnectionEnds ends = n.addresses.read(channel);
            if (ends != null) {
                bindings.bind(engine, ends);
            } else if (channel != null) {
                bindings.bindLater(engine, channel, n.addresses::read); // a client's pipeline, set up before connect
            }
        } catch (Throwable e) {
            errors.record("binding a Netty channel", e);
        }
    }

    @Override
    public void jettyConnection(SSLEngine engine, Object endPoint) {
        bind(engine, JETTY, endPoint);
    }

    @Override
    public void undertowConnection(SSLEngine engine, Object streamConnection) {
        bind(engine, XNIO, streamConnection);
    }

    @Override
    public void httpCore5Session(Object sslIoSession, Object ioSession) {
        try {
            Object engine = get(HTTP_CORE5_ENGINE.get(sslIoSession.getClass()), sslIoSession);
            if (engine != null && !bindings.isBound(engine)) { // the delegating constructor reports it again
                bind(engine, HTTP_CORE5, ioSession);
            }
        } catch (Throwable e) {
            errors.record("binding an HttpCore 5 session", e);
        }
    }

    @Override
    public void httpClientTube(SSLEngine engine, Object socketTube) {
        if (ours(engine)) {
            return;
        }
        try {
            Object channel = get(SOCKET_TUBE_CHANNEL.get(socketTube.getClass()), socketTube);
            if (channel instanceof SocketChannel) {
                bind(engine, channel);
            }
        } catch (Throwable e) {
            errors.record("binding an HttpClient connection", e);
        }
    }

    private void bind(SSLEngine engine, Object channel) {
        try {
            if (engine != null) {
                bindings.bind(engine, channelEnds(channel));
            }
        } catch (Throwable e) {
            errors.record("binding a channel", e);
        }
    }

    private void bind(Object engine, ClassValue<LibraryAccess.Addresses> library, Object connection) {
        try {
            if (engine != null && connection != null) {
                ConnectionEnds ends = library.get(connection.getClass()).read(connection);
                if (ends != null) {
                    bindings.bind(engine, ends);
                }
            }
        } catch (Throwable e) {
            errors.record("binding a connection", e);
        }
    }

    /** The ends of a JDK channel ({@code SocketChannel}, {@code AsynchronousSocketChannel}); none when closed. */
    static ConnectionEnds channelEnds(Object channel) {
        try {
            if (channel instanceof SocketChannel) {
                SocketChannel c = (SocketChannel) channel;
                return ConnectionEnds.of(c.getRemoteAddress(), c.getLocalAddress());
            }
            if (channel instanceof AsynchronousSocketChannel) {
                AsynchronousSocketChannel c = (AsynchronousSocketChannel) channel;
                return ConnectionEnds.of(c.getRemoteAddress(), c.getLocalAddress());
            }
        } catch (IOException closed) {
            // the connection already ended: nothing to tell
        }
        return ConnectionEnds.NO_IP;
    }

    // How each library is read, per class of the object it hands over.

    private static final ClassValue<LibraryAccess.Addresses> JETTY = addresses("org.eclipse.jetty.io.EndPoint",
            "getRemoteSocketAddress", "org.eclipse.jetty.io.EndPoint", "getLocalSocketAddress");
    private static final ClassValue<LibraryAccess.Addresses> XNIO = addresses("org.xnio.channels.ConnectedChannel",
            "getPeerAddress", "org.xnio.channels.BoundChannel", "getLocalAddress");
    private static final ClassValue<LibraryAccess.Addresses> HTTP_CORE5 = addresses(
            "org.apache.hc.core5.reactor.IOSession", "getRemoteAddress", "org.apache.hc.core5.reactor.IOSession",
            "getLocalAddress");
    private static final ClassValue<MethodHandle> HTTP_CORE5_ENGINE = field(
            "org.apache.hc.core5.reactor.ssl.SSLIOSession", "sslEngine");
    /** The JDK HttpClient's {@code SocketTube} has no getter for its channel (the agent opens its package). */
    private static final ClassValue<MethodHandle> SOCKET_TUBE_CHANNEL = field("jdk.internal.net.http.SocketTube",
            "channel");
    private static final ClassValue<Tomcat> TOMCAT = new ClassValue<Tomcat>() {
        @Override
        protected Tomcat computeValue(Class<?> type) {
            return new Tomcat(type);
        }
    };
    private static final ClassValue<Netty> NETTY = new ClassValue<Netty>() {
        @Override
        protected Netty computeValue(Class<?> type) {
            return new Netty(type);
        }
    };

    private static ClassValue<LibraryAccess.Addresses> addresses(String peerOwner, String peer, String localOwner,
            String local) {
        return new ClassValue<LibraryAccess.Addresses>() {
            @Override
            protected LibraryAccess.Addresses computeValue(Class<?> type) {
                return new LibraryAccess.Addresses(address(type, peerOwner, peer), address(type, localOwner, local));
            }
        };
    }

    private static ClassValue<MethodHandle> field(String owner, String name) {
        return new ClassValue<MethodHandle>() {
            @Override
            protected MethodHandle computeValue(Class<?> type) {
                return LibraryAccess.field(type, owner, name);
            }
        };
    }

    /** Tomcat's {@code SecureNioChannel}/{@code SecureNio2Channel}: the engine, and the JDK channel beneath. */
    private static final class Tomcat {
        private static final String PACKAGE = "org.apache.tomcat.util.net.";
        final MethodHandle engine;
        final MethodHandle channel;

        Tomcat(Class<?> type) {
            boolean nio = LibraryAccess.supertype(type, PACKAGE + "SecureNioChannel") != null;
            engine = LibraryAccess.method(type, PACKAGE + (nio ? "SecureNioChannel" : "SecureNio2Channel"),
                    "getSslEngine", SSLEngine.class);
            channel = LibraryAccess.method(type, PACKAGE + (nio ? "NioChannel" : "Nio2Channel"), "getIOChannel",
                    nio ? SocketChannel.class : AsynchronousSocketChannel.class);
        }
    }

    /**
     * Netty's {@code SslHandler}, original or relocated (the copy's package prefix is taken from the hooked class's
     * name): its engine (unwrapped where Netty wraps the JDK's for ALPN), its context's channel and that channel's
     * addresses, all public API.
     */
    private static final class Netty {
        private static final String HANDLER = "handler.ssl.SslHandler";
        final MethodHandle engine;
        final MethodHandle channel;
        final LibraryAccess.Addresses addresses;
        private final ClassValue<MethodHandle> wrapped = new ClassValue<MethodHandle>() {
            @Override
            protected MethodHandle computeValue(Class<?> type) {
                return LibraryAccess.inheritedMethod(type, "getWrappedEngine", SSLEngine.class);
            }
        };

        Netty(Class<?> type) {
            Class<?> handler = type;
            while (handler != null && !handler.getName().endsWith("." + HANDLER)) {
                handler = handler.getSuperclass();
            }
            String prefix = handler == null ? "?" : handler.getName().substring(0,
                    handler.getName().length() - HANDLER.length());
            Class<?> channelType = load(handler, prefix + "channel.Channel");
            engine = LibraryAccess.method(handler, "engine", SSLEngine.class);
            channel = channelType == null ? null : LibraryAccess.method(
                    load(handler, prefix + "channel.ChannelHandlerContext"), "channel", channelType);
            addresses = new LibraryAccess.Addresses(LibraryAccess.method(channelType, "remoteAddress",
                    SocketAddress.class), LibraryAccess.method(channelType, "localAddress", SocketAddress.class));
        }

        private static Class<?> load(Class<?> from, String name) {
            try {
                return from == null ? null : Class.forName(name, false, from.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }

        /** The engine that handshakes: Netty wraps the JDK's engine when ALPN is configured. */
        Object unwrap(Object engine) {
            for (int i = 0; i < 4 && engine != null; i++) {
                MethodHandle inner = wrapped.get(engine.getClass());
                if (inner == null) {
                    return engine;
                }
                engine = get(inner, engine);
            }
            return engine;
        }
    }
}
