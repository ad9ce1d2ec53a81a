package io.tlsagent.bootstrap;

import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the advice on {@code KeyManagerFactory.init} and {@code TrustManagerFactory.init} reports: the key stores an
 * application (or the JDK, building its default context) hands to them. Rare calls, off every hot path. Defined in
 * the bootstrap class loader like {@link SunJsseEvents}, and called the same way.
 */
public abstract class KeyMaterialEvents {

    /** The running agent's implementation, or null. */
    public static volatile KeyMaterialEvents current;

    protected KeyMaterialEvents() {}

    /** {@code KeyManagerFactory.init(KeyStore, char[])} returned normally; {@code keyStore} may be null. */
    public abstract void keyManagersInitialized(KeyStore keyStore);

    /**
     * {@code TrustManagerFactory.init(KeyStore)} returned normally; {@code keyStore} null: the provider's default
     * trust (SunJSSE's: {@code javax.net.ssl.trustStore}, else the JDK's {@code jssecacerts} or {@code cacerts}).
     */
    public abstract void trustManagersInitialized(TrustManagerFactory factory, KeyStore keyStore);
}
