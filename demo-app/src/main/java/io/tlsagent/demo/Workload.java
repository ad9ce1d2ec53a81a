package io.tlsagent.demo;

import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLSession;

/** Makes client handshakes through one JSSE API, against its own server side in this JVM. */
interface Workload extends AutoCloseable {

    /** The JSSE API: SSLSocket or SSLEngine. */
    String api();

    /**
     * One client handshake of the given kind, then one byte each way and a proper close.
     *
     * @param protocol the only protocol the client enables (TLSv1.2 or TLSv1.3)
     * @return the client's session when the handshake succeeded
     * @throws IOException the client's failure (expected for the failing kinds)
     */
    SSLSession handshake(HandshakeCase.Kind kind, String protocol) throws IOException, GeneralSecurityException;

    /** Stops the server side. */
    @Override
    void close();
}
