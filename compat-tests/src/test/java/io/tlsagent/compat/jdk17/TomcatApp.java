package io.tlsagent.compat.jdk17;

import io.tlsagent.compat.apps.App;
import io.tlsagent.compat.apps.AppTls;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.util.TimeValue;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat 11 with two HTTPS connectors on JSSE (NIO and NIO2, SSLEngine), and Apache HttpClient 5 (classic,
 * pooled, SSLSocket) as the client in the same JVM. Per scenario, one client with its own SSLContext makes requests
 * on one pooled connection, then the pool's idle connections are closed and one more request opens a new one:
 * <ul>
 *   <li>{@code tls13}: NIO, 3 requests, close, 1 request: 2 connections;
 *   <li>{@code tls12}: NIO, the client allows TLS 1.2 only: 1 request, close, 1 request: 2 connections;
 *   <li>{@code nio2}: NIO2, TLS 1.3, 1 request, close, 1 request: 2 connections.
 * </ul>
 * The server stays up for the test's outside peers until stdin closes.
 * <pre>TomcatApp DIR</pre>
 */
public final class TomcatApp {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        Connector nio = httpsConnector("org.apache.coyote.http11.Http11NioProtocol", dir);
        Connector nio2 = httpsConnector("org.apache.coyote.http11.Http11Nio2Protocol", dir);
        tomcat.setConnector(nio);
        tomcat.getService().addConnector(nio2);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "hello", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.getWriter().print(TomcatSessions.view(req));
            }
        });
        context.addServletMappingDecoded("/*", "hello");
        tomcat.start();
        int port = nio.getLocalPort();
        App.say("PORT", port);
        App.say("PORT_NIO2", nio2.getLocalPort());
        String base = "https://localhost:" + port;

        scenario("tls13", TLS.V_1_3, 3, base, dir);
        scenario("tls12", TLS.V_1_2, 1, base, dir);
        scenario("nio2", TLS.V_1_3, 1, "https://localhost:" + nio2.getLocalPort(), dir);
        App.readyAndHold();
    }

    /** An HTTPS connector on JSSE, as Spring Boot's {@code server.ssl.*} properties make it. */
    private static Connector httpsConnector(String protocol, Path dir) {
        Connector connector = new Connector(protocol);
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setSecure(true);
        connector.setScheme("https");
        connector.setProperty("SSLEnabled", "true");
        connector.setProperty("sslImplementationName", "org.apache.tomcat.util.net.jsse.JSSEImplementation");
        SSLHostConfig host = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host,
                SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystoreFile(AppTls.keystore(dir).toString());
        certificate.setCertificateKeystorePassword(AppTls.PASSWORD);
        certificate.setCertificateKeystoreType("PKCS12");
        certificate.setCertificateKeyAlias(AppTls.ALIAS);
        host.addCertificate(certificate);
        connector.addSslHostConfig(host);
        return connector;
    }

    private static void scenario(String name, TLS version, int firstRequests, String base, Path dir)
            throws Exception {
        SSLContext ctx = AppTls.clientContext(dir);
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(ctx).setTlsVersions(version)
                        .buildClassic())
                .build();
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool).build()) {
            for (int i = 0; i < firstRequests; i++) {
                get(client, base + "/" + name + "/" + i, name);
            }
            pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
            get(client, base + "/" + name + "/again", name);
        }
    }

    private static void get(CloseableHttpClient client, String url, String scenario) throws Exception {
        HttpClientContext context = HttpClientContext.create();
        String body = client.execute(new HttpGet(url), context, response -> {
            if (response.getCode() != 200) {
                throw new IllegalStateException(url + " -> " + response.getCode());
            }
            return EntityUtils.toString(response.getEntity());
        });
        SSLSession s = context.getSSLSession();
        App.client(scenario, s.getProtocol(), s.getCipherSuite(), context.getProtocolVersion().toString(), body);
    }
}
