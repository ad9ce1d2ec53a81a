package io.tlsagent.compat.apps;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-Java as it usually ships (grpc-netty-shaded: Netty and netty-tcnative relocated under
 * {@code io.grpc.netty.shaded}), set up as its users do ({@code NettyServerBuilder}/{@code NettyChannelBuilder} with
 * {@code GrpcSslContexts}): two servers and a client of each in the same JVM, one unary call per client
 * ({@code tlsagent.Greeter/Hello}, strings as messages, so no generated code):
 * <ul>
 *   <li>{@code openssl}: gRPC's default provider, the relocated OpenSSL engine (BoringSSL);
 *   <li>{@code jdk}: {@code SslProvider.JDK}, the JDK's engine inside Netty's ALPN wrapper.
 * </ul>
 * The servers stay up for the test's outside peers until stdin closes.
 * <pre>GrpcApp DIR</pre>
 */
public final class GrpcApp {

    static final MethodDescriptor<String, String> HELLO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("tlsagent.Greeter", "Hello"))
            .setRequestMarshaller(new Text()).setResponseMarshaller(new Text()).build();

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        ServerServiceDefinition greeter = ServerServiceDefinition.builder("tlsagent.Greeter")
                .addMethod(HELLO, ServerCalls.asyncUnaryCall((name, reply) -> {
                    reply.onNext("hello " + name);
                    reply.onCompleted();
                })).build();
        for (SslProvider provider : new SslProvider[] {null, SslProvider.JDK}) {
            String scenario = provider == null ? "openssl" : "jdk";
            SslContextBuilder serverTls = SslContextBuilder.forServer(AppTls.keyManagers(dir));
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sslContext((provider == null ? GrpcSslContexts.configure(serverTls)
                            : GrpcSslContexts.configure(serverTls, provider)).build())
                    .addService(greeter).build().start();
            int port = server.getPort();
            App.say("PORT_" + scenario, port);
            SslContextBuilder clientTls = GrpcSslContexts.forClient().trustManager(AppTls.trustManager(dir));
            ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", port)
                    .sslContext((provider == null ? clientTls : GrpcSslContexts.configure(clientTls, provider))
                            .build())
                    .build();
            String reply = ClientCalls.blockingUnaryCall(channel, HELLO, CallOptions.DEFAULT.withDeadlineAfter(20,
                    TimeUnit.SECONDS), scenario);
            App.say("REPLY_" + scenario, reply.replace(' ', '_'));
            channel.shutdown().awaitTermination(10, TimeUnit.SECONDS);
        }
        App.readyAndHold();
    }

    /** Messages as UTF-8 text. */
    static final class Text implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
