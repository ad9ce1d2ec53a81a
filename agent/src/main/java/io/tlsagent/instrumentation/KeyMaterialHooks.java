package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.KeyMaterialEvents;
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * The key material an application loads, before any handshake uses it: the key stores given to
 * {@code KeyManagerFactory.init(KeyStore, char[])} and {@code TrustManagerFactory.init(KeyStore)}. SunJSSE builds
 * its default context ({@code SSLContext.getDefault()}, from {@code javax.net.ssl.keyStore}) through the same two
 * public methods (JDK 11, 17 and 25: {@code SSLContextImpl$DefaultManagersHolder}), and {@code SSLContext.init} with
 * no trust managers calls {@code TrustManagerFactory.init(null)}. The advice runs only when {@code init} returned
 * normally and hands the key store on; the password is never touched. {@code init(ManagerFactoryParameters)} is not
 * hooked: reading a {@code KeyStore.Builder}'s store may prompt for a password or load a file.
 */
final class KeyMaterialHooks {

    private KeyMaterialHooks() {}

    static List<TypeHook> all() {
        return List.of(new KeyManagers(), new TrustManagers());
    }

    /** {@code javax.net.ssl.KeyManagerFactory.init(KeyStore, char[])}. */
    static final class KeyManagers implements TypeHook {
        @Override
        public boolean matches(String internalName, ClassLoader loader, Class<?> redefined) {
            return loader == null && internalName.equals("javax/net/ssl/KeyManagerFactory");
        }

        @Override
        public Set<String> jdkClasses() {
            return Set.of("javax.net.ssl.KeyManagerFactory");
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(Init.class).on(named("init").and(takesArguments(2))
                    .and(takesArgument(0, named("java.security.KeyStore"))));
        }

        static final class Init {
            @Advice.OnMethodExit(suppress = Throwable.class)
            static void exit(@Advice.Argument(0) KeyStore keyStore) {
                KeyMaterialEvents events = KeyMaterialEvents.current;
                if (events != null) {
                    events.keyManagersInitialized(keyStore);
                }
            }
        }
    }

    /** {@code javax.net.ssl.TrustManagerFactory.init(KeyStore)}. */
    static final class TrustManagers implements TypeHook {
        @Override
        public boolean matches(String internalName, ClassLoader loader, Class<?> redefined) {
            return loader == null && internalName.equals("javax/net/ssl/TrustManagerFactory");
        }

        @Override
        public Set<String> jdkClasses() {
            return Set.of("javax.net.ssl.TrustManagerFactory");
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(Init.class).on(named("init").and(takesArguments(1))
                    .and(takesArgument(0, named("java.security.KeyStore"))));
        }

        static final class Init {
            @Advice.OnMethodExit(suppress = Throwable.class)
            static void exit(@Advice.This TrustManagerFactory factory, @Advice.Argument(0) KeyStore keyStore) {
                KeyMaterialEvents events = KeyMaterialEvents.current;
                if (events != null) {
                    events.trustManagersInitialized(factory, keyStore);
                }
            }
        }
    }
}
