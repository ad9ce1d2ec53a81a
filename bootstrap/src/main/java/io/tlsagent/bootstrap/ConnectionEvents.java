package io.tlsagent.bootstrap;

import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;

/**
 * Where a library pairs a TLS engine with the connection it runs over: reported by the advice on the few library
 * methods that do it (once per connection, never on the data path), so that the agent can name the connection's
 * real ends in the engine's handshake record. An {@code SSLEngine} itself does not know its connection; the
 * library does. Defined in the bootstrap class loader like {@link SunJsseEvents} and called the same way:
 * {@code ConnectionEvents e = ConnectionEvents.current; if (e != null) ...}.
 *
 * <p>Library objects are passed as plain objects: the advice names only JDK types, and the agent reads the
 * library's public getters (or, where there are none, its fields) itself.
 */
public abstract class ConnectionEvents {

    /** The running agent's implementation, or null. */
    public static volatile ConnectionEvents current;

    protected ConnectionEvents() {}

    /** The JDK's {@code HttpsServer} gave an engine its accepted channel ({@code SSLStreams.EngineWrapper}). */
    public abstract void httpServerEngine(SSLEngine engine, SocketChannel channel);

    /**
     * Netty's {@code SslHandler} (or a relocated copy, such as grpc-netty-shaded's) was added to a pipeline, or its
     * channel became active: the handler and its {@code ChannelHandlerContext}.
     */
    public abstract void nettyHandler(Object sslHandler, Object channelHandlerContext);

    /** Tomcat's {@code SecureNioChannel} or {@code SecureNio2Channel} made its engine for a new connection. */
    public abstract void tomcatChannel(Object secureChannel);

    /** Jetty's {@code SslConnection} was made for an engine over an {@code EndPoint}. */
    public abstract void jettyConnection(SSLEngine engine, Object endPoint);

    /** Undertow's {@code UndertowSslConnection} was made for an engine over an XNIO {@code StreamConnection}. */
    public abstract void undertowConnection(SSLEngine engine, Object streamConnection);

    /** Apache HttpComponents Core 5's {@code SSLIOSession} was made over an {@code IOSession}. */
    public abstract void httpCore5Session(Object sslIoSession, Object ioSession);

    /** The JDK's {@code HttpClient} is about to start TLS on a connected {@code SocketTube} ({@code SSLTube}). */
    public abstract void httpClientTube(SSLEngine engine, Object socketTube);
}
