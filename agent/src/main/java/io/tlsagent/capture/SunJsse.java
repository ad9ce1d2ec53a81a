package io.tlsagent.capture;

import io.tlsagent.util.AgentLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the SunJSSE objects the hooks hand over ({@code TransportContext}, {@code HandshakeContext}, ...) through
 * constant method handles, resolved once by name when this class initializes (after the agent opened
 * {@code sun.security.ssl} to itself): the JIT compiles each read like a field access. A field that a JDK version
 * lacks gives a null handle, reads as absent and is said once, so a missing detail never stops the rest. Nothing
 * here reads key material, session IDs, tickets or PSK identities: {@link #ticketOffered} checks presence only.
 */
final class SunJsse {

    private static final String PKG = "sun.security.ssl.";
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static final MethodType TEST = MethodType.methodType(boolean.class, Object.class);
    private static final List<String> MISSING = new ArrayList<>(); // filled by the initializers below

    // TransportContext
    static final MethodHandle TC_HANDSHAKE_CONTEXT = getter("TransportContext", "handshakeContext");
    static final MethodHandle TC_CON_SESSION = getter("TransportContext", "conSession");
    static final MethodHandle TC_SSL_CONFIG = getter("TransportContext", "sslConfig");
    static final MethodHandle TC_TRANSPORT = getter("TransportContext", "transport");
    static final MethodHandle TC_CLOSE_REASON = getter("TransportContext", "closeReason");
    static final MethodHandle TC_IS_NEGOTIATED = test("TransportContext", "isNegotiated");
    static final MethodHandle TC_IS_INPUT_CLOSE_NOTIFIED = test("TransportContext", "isInputCloseNotified");
    static final MethodHandle TC_OUTPUT_RECORD = getter("TransportContext", "outputRecord");
    static final MethodHandle TC_APPLICATION_PROTOCOL = getter("TransportContext", "applicationProtocol");
    // SSLConfiguration
    static final MethodHandle CONFIG_IS_CLIENT_MODE = test("SSLConfiguration", "isClientMode");
    // HandshakeContext
    static final MethodHandle HC_CON_CONTEXT = getter("HandshakeContext", "conContext");
    static final MethodHandle HC_IS_RESUMPTION = test("HandshakeContext", "isResumption");
    static final MethodHandle HC_RESUMING_SESSION = getter("HandshakeContext", "resumingSession");
    static final MethodHandle HC_STATELESS_RESUMPTION = optionalTest("HandshakeContext", "statelessResumption");
    static final MethodHandle HC_NEGOTIATED_PROTOCOL = getter("HandshakeContext", "negotiatedProtocol");
    static final MethodHandle HC_NEGOTIATED_CIPHER_SUITE = getter("HandshakeContext", "negotiatedCipherSuite");
    static final MethodHandle HC_REQUESTED_SERVER_NAMES = getter("HandshakeContext", "requestedServerNames");
    static final MethodHandle HC_CREDENTIALS = getter("HandshakeContext", "handshakeCredentials");
    static final MethodHandle HC_POSSESSIONS = getter("HandshakeContext", "handshakePossessions");
    static final MethodHandle HC_APPLICATION_PROTOCOL = getter("HandshakeContext", "applicationProtocol");
    // SSLHandshake.HandshakeMessage, HandshakeOutStream, Plaintext
    static final MethodHandle MESSAGE_CONTEXT = getter("SSLHandshake$HandshakeMessage", "handshakeContext");
    static final MethodHandle MESSAGE_TYPE = method("SSLHandshake$HandshakeMessage", "handshakeType");
    static final MethodHandle OUT_STREAM_RECORD = getter("HandshakeOutStream", "outputRecord");
    static final MethodHandle PLAINTEXT_FRAGMENT = getter("Plaintext", "fragment");
    // SSLEngineImpl, SSLSocketImpl
    static final MethodHandle ENGINE_CON_CONTEXT = getter("SSLEngineImpl", "conContext");
    static final MethodHandle SOCKET_PEER_HOST = optionalGetter("SSLSocketImpl", "peerHost");
    // Enums and values
    static final MethodHandle PROTOCOL_VERSION_NAME = getter("ProtocolVersion", "name");
    static final MethodHandle CIPHER_SUITE_NAME = getter("CipherSuite", "name");
    static final MethodHandle ALERT_DESCRIPTION = getter("Alert", "description");
    static final MethodHandle NAMED_GROUP_NAME = getter("NamedGroup", "name");
    static final MethodHandle SIGNATURE_SCHEME_NAME = getter("SignatureScheme", "name");
    static final MethodHandle HANDSHAKE_ID = getter("SSLHandshake", "id");
    static final MethodHandle SESSION_PSK_IDENTITY = getter("SSLSessionImpl", "pskIdentity");
    static final MethodHandle SESSION_PEER_CERTS = getter("SSLSessionImpl", "peerCerts");
    static final MethodHandle SESSION_LOCAL_CERTS = getter("SSLSessionImpl", "localCerts");
    private static final Class<?> CREDENTIALS_WITH_GROUP = type("NamedGroupCredentials");
    private static final MethodHandle CREDENTIALS_GROUP = method("NamedGroupCredentials", "getNamedGroup");
    private static final Class<?> POSSESSION_WITH_GROUP = type("NamedGroupPossession");
    private static final MethodHandle POSSESSION_GROUP = method("NamedGroupPossession", "getNamedGroup");
    private static final Class<?> POST_HANDSHAKE_CONTEXT = type("PostHandshakeContext");

    static {
        if (!MISSING.isEmpty()) {
            AgentLog.once("this JDK's SunJSSE lacks " + MISSING + "; those details are left out of the records");
        }
    }

    private SunJsse() {}

    /**
     * Resolves the handles now (this class's initialization does), rather than on the first handshake's thread:
     * that loads SunJSSE's classes, so it must come after the hooks (the classes are then hooked as they load).
     */
    static void resolve() {
        // the static initializers above did the work
    }

    /** A field's value, or null when the handle or the object is missing. */
    static Object get(MethodHandle getter, Object target) {
        if (getter == null || target == null) {
            return null;
        }
        try {
            return (Object) getter.invokeExact(target);
        } catch (Throwable t) {
            return null;
        }
    }

    /** A boolean field's value; false when the handle or the object is missing. */
    static boolean is(MethodHandle test, Object target) {
        if (test == null || target == null) {
            return false;
        }
        try {
            return (boolean) test.invokeExact(target);
        } catch (Throwable t) {
            return false;
        }
    }

    /** The {@code name} (or {@code description}) field of one of SunJSSE's enum-like values, or null. */
    static String name(MethodHandle nameGetter, Object value) {
        Object name = get(nameGetter, value);
        return name instanceof String ? (String) name : null;
    }

    /** The type byte of an outgoing handshake message, or -1. */
    static int messageType(Object handshakeMessage) {
        Object id = get(HANDSHAKE_ID, get(MESSAGE_TYPE, handshakeMessage));
        return id instanceof Byte ? ((Byte) id) & 0xFF : -1;
    }

    static boolean isClient(Object transportContext) {
        return is(CONFIG_IS_CLIENT_MODE, get(TC_SSL_CONFIG, transportContext));
    }

    static boolean isPostHandshake(Object handshakeContext) {
        return POST_HANDSHAKE_CONTEXT != null && POST_HANDSHAKE_CONTEXT.isInstance(handshakeContext);
    }

    /** Whether the session being resumed carries a ticket (presence only; the bytes are never read). */
    static boolean ticketOffered(Object resumingSession) {
        return get(SESSION_PSK_IDENTITY, resumingSession) != null;
    }

    /**
     * A chain the session holds ({@link #SESSION_PEER_CERTS} or {@link #SESSION_LOCAL_CERTS}), as references to its
     * certificates: no clone of the array, and no exception when there is none (the public API throws one, with
     * its stack trace, for every server handshake without a client certificate).
     */
    static List<X509Certificate> certificates(MethodHandle field, Object session) {
        Object chain = get(field, session);
        if (!(chain instanceof X509Certificate[]) || ((X509Certificate[]) chain).length == 0) {
            return List.of();
        }
        try {
            return List.of((X509Certificate[]) chain);
        } catch (NullPointerException aNullInTheChain) {
            return List.of();
        }
    }

    /** The key-exchange group from the credentials or possessions of the handshake, e.g. {@code x25519}. */
    static String namedGroup(Object handshakeContext) {
        String group = groupIn(get(HC_CREDENTIALS, handshakeContext), CREDENTIALS_WITH_GROUP, CREDENTIALS_GROUP);
        return group != null ? group
                : groupIn(get(HC_POSSESSIONS, handshakeContext), POSSESSION_WITH_GROUP, POSSESSION_GROUP);
    }

    private static String groupIn(Object list, Class<?> withGroup, MethodHandle getter) {
        if (!(list instanceof Iterable) || withGroup == null) {
            return null;
        }
        for (Object item : (Iterable<?>) list) {
            if (withGroup.isInstance(item)) {
                String name = name(NAMED_GROUP_NAME, get(getter, item));
                if (name != null) {
                    return name;
                }
            }
        }
        return null;
    }

    /** The body of a received handshake message (positioned after its 4-byte header), or null. */
    static ByteBuffer body(Object plaintext) {
        Object fragment = get(PLAINTEXT_FRAGMENT, plaintext);
        return fragment instanceof ByteBuffer ? (ByteBuffer) fragment : null;
    }

    /** The signature scheme an outgoing CertificateVerify or ServerKeyExchange carries (a field of the message). */
    static String signatureScheme(Object handshakeMessage) {
        return name(SIGNATURE_SCHEME_NAME, get(SIGNATURE_SCHEME_FIELD.get(handshakeMessage.getClass()),
                handshakeMessage));
    }

    /** The {@code signatureScheme} field of a message class (or its superclasses), looked up once per class. */
    private static final ClassValue<MethodHandle> SIGNATURE_SCHEME_FIELD = new ClassValue<MethodHandle>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                try {
                    return unreflect(c.getDeclaredField("signatureScheme"));
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                } catch (RuntimeException | IllegalAccessException e) {
                    return null;
                }
            }
            return null;
        }
    };

    private static MethodHandle unreflect(Field f) throws IllegalAccessException {
        f.setAccessible(true);
        return LOOKUP.unreflectGetter(f).asType(GETTER);
    }

    private static MethodHandle getter(String owner, String name) {
        MethodHandle h = optionalGetter(owner, name);
        if (h == null) {
            MISSING.add(owner + "." + name);
        }
        return h;
    }

    private static MethodHandle optionalGetter(String owner, String name) {
        try {
            return unreflect(Class.forName(PKG + owner, false, null).getDeclaredField(name));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static MethodHandle test(String owner, String name) {
        MethodHandle h = optionalTest(owner, name);
        if (h == null) {
            MISSING.add(owner + "." + name);
        }
        return h;
    }

    private static MethodHandle optionalTest(String owner, String name) {
        try {
            Field f = Class.forName(PKG + owner, false, null).getDeclaredField(name);
            f.setAccessible(true);
            return LOOKUP.unreflectGetter(f).asType(TEST);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static MethodHandle method(String owner, String name, String... parameterTypes) {
        try {
            Method m = Class.forName(PKG + owner, false, null).getDeclaredMethod(name, types(parameterTypes));
            accessible(m);
            MethodHandle h = LOOKUP.unreflect(m);
            return h.asType(h.type().generic().changeReturnType(m.getReturnType() == void.class ? void.class
                    : Object.class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            MISSING.add(owner + "." + name + "()");
            return null;
        }
    }

    private static Class<?> type(String simpleName) {
        try {
            return Class.forName(PKG + simpleName, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            MISSING.add(simpleName);
            return null;
        }
    }

    private static void accessible(AccessibleObject o) {
        o.setAccessible(true);
    }

    private static Class<?>[] types(String... simpleNames) throws ClassNotFoundException {
        Class<?>[] types = new Class<?>[simpleNames.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = Class.forName(PKG + simpleNames[i], false, null);
        }
        return types;
    }
}
