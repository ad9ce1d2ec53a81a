package io.tlsagent.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Applies a scenario's {@link SSLParameters} (protocols, cipher suites, groups) to every socket it makes, and turns
 * Nagle's algorithm off (HttpsURLConnection leaves it on).
 */
final class ConfiguredSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final SSLParameters parameters;

    ConfiguredSocketFactory(SSLSocketFactory delegate, SSLParameters parameters) {
        this.delegate = delegate;
        this.parameters = parameters;
    }

    private Socket configure(Socket socket) throws IOException {
        if (socket instanceof SSLSocket) {
            ((SSLSocket) socket).setSSLParameters(parameters);
        }
        if (socket.isConnected()) {
            socket.setTcpNoDelay(true); // small TLS records without Nagle's delay
        }
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return parameters.getCipherSuites() != null ? parameters.getCipherSuites() : delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return configure(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        s.setTcpNoDelay(true);
        return configure(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
        return configure(delegate.createSocket(s, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return configure(delegate.createSocket(address, port, localAddress, localPort));
    }
}
