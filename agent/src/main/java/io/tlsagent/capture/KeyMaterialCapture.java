package io.tlsagent.capture;

import io.tlsagent.anatomy.Certificates;
import io.tlsagent.bootstrap.KeyMaterialEvents;
import io.tlsagent.record.KeyMaterialSource;
import io.tlsagent.record.LocalCertificate;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.AgentLog;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates of the key stores the application loads ({@link KeyMaterialEvents}), read on the thread that
 * called {@code init} (rare: a context is set up once) into a bounded list, and summarised ({@link #summarize}) and
 * handed to {@code sink} as {@link LocalCertificate}s off the application's threads: summarising the JDK's 144
 * roots cost the thread that called {@code init} about 0.2 s of CPU in a fresh JVM.
 * Certificates only: aliases, {@code isKeyEntry}/{@code isCertificateEntry}, {@code getCertificateChain}/
 * {@code getCertificate}; never a key, never a password, never an application's key or trust manager. Trust anchors
 * only when asked ({@code trust_store_inventory}): the JDK's {@code cacerts} alone holds about 150.
 */
public final class KeyMaterialCapture extends KeyMaterialEvents {

    /** SunJSSE's own trust manager: the only one whose accepted issuers are read (a pure copy of its anchors). */
    private static final String SUN_TRUST_MANAGER = "sun.security.ssl.X509TrustManagerImpl";

    /** At most this many certificates wait for {@link #summarize}; more are dropped, said once. */
    static final int MAX_PENDING = 2_000;

    private final Consumer<List<LocalCertificate>> sink;
    private final boolean trustAnchors;
    private final AgentErrors errors;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();

    public KeyMaterialCapture(Consumer<List<LocalCertificate>> sink, boolean trustAnchors, AgentErrors errors) {
        this.sink = sink;
        this.trustAnchors = trustAnchors;
        this.errors = errors;
    }

    /** From now on the hooks report here. */
    public void start() {
        KeyMaterialEvents.current = this;
    }

    public static void stop() {
        KeyMaterialEvents.current = null;
    }

    @Override
    public void keyManagersInitialized(KeyStore keyStore) {
        if (keyStore == null) {
            return;
        }
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (String alias : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(alias)) {
                    addAll(certs, keyStore.getCertificateChain(alias));
                }
            }
            hand(KeyMaterialSource.LOCAL_KEYSTORE, certs);
        } catch (Exception | LinkageError e) {
            errors.record("reading the certificates of a key store given to KeyManagerFactory.init", e);
        }
    }

    @Override
    public void trustManagersInitialized(TrustManagerFactory factory, KeyStore keyStore) {
        if (!trustAnchors) {
            return;
        }
        try {
            if (keyStore != null) {
                hand(KeyMaterialSource.LOCAL_TRUSTSTORE, anchors(keyStore));
            } else {
                // The provider's default trust: SunJSSE's trust manager reads it itself (javax.net.ssl.trustStore,
                // else jssecacerts, else cacerts), giving no key store; its accepted issuers are those anchors.
                hand(System.getProperty("javax.net.ssl.trustStore") == null ? KeyMaterialSource.JDK_TRUSTSTORE
                        : KeyMaterialSource.LOCAL_TRUSTSTORE, defaultAnchors(factory));
            }
        } catch (Exception | LinkageError e) {
            errors.record("reading the trust anchors given to TrustManagerFactory.init", e);
        }
    }

    /** What SunJSSE trusts of a key store: its certificate entries, and each key entry's own certificate. */
    static List<X509Certificate> anchors(KeyStore keyStore) throws KeyStoreException {
        List<X509Certificate> certs = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isCertificateEntry(alias)) {
                add(certs, keyStore.getCertificate(alias));
            } else if (keyStore.isKeyEntry(alias)) {
                Certificate[] chain = keyStore.getCertificateChain(alias);
                if (chain != null && chain.length > 0) {
                    add(certs, chain[0]);
                }
            }
        }
        return certs;
    }

    /** SunJSSE's default anchors; nothing from another provider, whose trust managers are not the agent's to call. */
    private static List<X509Certificate> defaultAnchors(TrustManagerFactory factory) {
        List<X509Certificate> certs = new ArrayList<>();
        if (!"SunJSSE".equals(factory.getProvider().getName())) {
            return certs;
        }
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm != null && tm.getClass().getName().equals(SUN_TRUST_MANAGER)) {
                addAll(certs, ((X509TrustManager) tm).getAcceptedIssuers());
            }
        }
        return certs;
    }

    /** Keeps them for {@link #summarize}: the application's thread goes on at once. */
    private void hand(KeyMaterialSource source, List<X509Certificate> certs) {
        for (X509Certificate cert : certs) {
            if (pendingCount.incrementAndGet() > MAX_PENDING) {
                pendingCount.decrementAndGet();
                AgentLog.once("more than " + MAX_PENDING + " certificates of key and trust stores waited to be"
                        + " summarised; the others are not in tls_certificate_expiry_timestamp_seconds");
                return;
            }
            pending.add(new Pending(source, cert));
        }
    }

    /**
     * Summarises the certificates read since the last call and hands them to the sink: on the thread that reads
     * them (the agent's scrape or export thread), never the application's.
     */
    public void summarize() {
        List<LocalCertificate> out = new ArrayList<>();
        for (Pending p = pending.poll(); p != null; p = pending.poll()) {
            pendingCount.decrementAndGet();
            out.add(new LocalCertificate(p.source, Certificates.summary(p.cert)));
        }
        if (!out.isEmpty()) {
            sink.accept(List.copyOf(out));
        }
    }

    private static final class Pending {
        final KeyMaterialSource source;
        final X509Certificate cert;

        Pending(KeyMaterialSource source, X509Certificate cert) {
            this.source = source;
            this.cert = cert;
        }
    }

    private static void addAll(List<X509Certificate> into, Certificate[] certs) {
        if (certs != null) {
            for (Certificate cert : certs) {
                add(into, cert);
            }
        }
    }

    private static void add(List<X509Certificate> into, Certificate cert) {
        if (cert instanceof X509Certificate) {
            into.add((X509Certificate) cert);
        }
    }
}
