package io.tlsagent.hooks;

import io.tlsagent.util.AgentLog;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the SunJSSE objects the hooks hand over ({@code TransportContext}, {@code HandshakeContext}, ...).
 * Each field is looked up once, by name; one that a JDK version lacks reads as null and is reported once,
 * so a missing detail never stops the rest from working. Nothing here reads key material, session IDs,
 * tickets or PSK identities: {@link #ticketOffered} checks only whether an identity is present.
 */
final class SunJsseInternals {

    private static final String PKG = "sun.security.ssl.";

    private final List<String> missing = new ArrayList<>(); // filled by the field initializers below

    // TransportContext
    final Field tcHandshakeContext = field("TransportContext", "handshakeContext");
    final Field tcConSession = field("TransportContext", "conSession");
    final Field tcSslConfig = field("TransportContext", "sslConfig");
    final Field tcTransport = field("TransportContext", "transport");
    final Field tcCloseReason = field("TransportContext", "closeReason");
    final Field tcIsNegotiated = field("TransportContext", "isNegotiated");
    final Field tcIsInputCloseNotified = field("TransportContext", "isInputCloseNotified");
    final Field tcOutputRecord = field("TransportContext", "outputRecord");
    final Field tcApplicationProtocol = field("TransportContext", "applicationProtocol");
    // SSLConfiguration
    final Field configIsClientMode = field("SSLConfiguration", "isClientMode");
    // HandshakeContext
    final Field hcConContext = field("HandshakeContext", "conContext");
    final Field hcIsResumption = field("HandshakeContext", "isResumption");
    final Field hcResumingSession = field("HandshakeContext", "resumingSession");
    final Field hcStatelessResumption = optionalField("HandshakeContext", "statelessResumption"); // not in 11
    final Field hcNegotiatedProtocol = field("HandshakeContext", "negotiatedProtocol");
    final Field hcNegotiatedCipherSuite = field("HandshakeContext", "negotiatedCipherSuite");
    final Field hcRequestedServerNames = field("HandshakeContext", "requestedServerNames");
    final Field hcCredentials = field("HandshakeContext", "handshakeCredentials");
    final Field hcPossessions = field("HandshakeContext", "handshakePossessions");
    final Field hcApplicationProtocol = field("HandshakeContext", "applicationProtocol");
    // SSLHandshake.HandshakeMessage, HandshakeOutStream
    final Field messageContext = field("SSLHandshake$HandshakeMessage", "handshakeContext");
    final Field outStreamRecord = field("HandshakeOutStream", "outputRecord");
    // SSLEngineImpl
    final Field engineConContext = field("SSLEngineImpl", "conContext");
    // Enums and values
    final Field protocolVersionName = field("ProtocolVersion", "name");
    final Field cipherSuiteName = field("CipherSuite", "name");
    final Field alertDescription = field("Alert", "description");
    final Field namedGroupName = field("NamedGroup", "name");
    final Field sessionPskIdentity = field("SSLSessionImpl", "pskIdentity");
    final Method credentialsNamedGroup = method("NamedGroupCredentials", "getNamedGroup");
    final Method possessionNamedGroup = method("NamedGroupPossession", "getNamedGroup");
    final Class<?> postHandshakeContext = type("PostHandshakeContext");
    final Method messageHandshakeType = method("SSLHandshake$HandshakeMessage", "handshakeType");
    final Method messageWrite = method("SSLHandshake$HandshakeMessage", "write", "HandshakeOutStream");
    final java.lang.reflect.Constructor<?> outStreamOffline = constructor("HandshakeOutStream", "OutputRecord");
    final Field plaintextFragment = field("Plaintext", "fragment");
    final Field signatureSchemeName = field("SignatureScheme", "name");
    final Field handshakeId = field("SSLHandshake", "id");

    private static SunJsseInternals instance;

    /**
     * One per JVM: attaching again reuses the same reflective handles, so the JDK does not generate new
     * reflection accessor classes for each attach.
     */
    static synchronized SunJsseInternals get() {
        if (instance == null) {
            instance = new SunJsseInternals();
        }
        return instance;
    }

    private SunJsseInternals() {
        if (!missing.isEmpty()) {
            AgentLog.once("this JDK's SunJSSE lacks " + missing + "; those details are left out of the records");
        }
    }

    /** Whether the hooks can work at all: the fields that tell when and how a handshake ends. */
    boolean usable() {
        return tcHandshakeContext != null && tcSslConfig != null && configIsClientMode != null
                && tcTransport != null && hcConContext != null;
    }

    Object get(Field field, Object target) {
        if (field == null || target == null) {
            return null;
        }
        try {
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    boolean getBoolean(Field field, Object target) {
        return Boolean.TRUE.equals(get(field, target));
    }

    String name(Field nameField, Object value) {
        Object name = get(nameField, value);
        return name instanceof String ? (String) name : null;
    }

    /** The type byte of an outgoing handshake message, or -1. */
    int messageType(Object handshakeMessage) {
        try {
            Object type = messageHandshakeType == null ? null : messageHandshakeType.invoke(handshakeMessage);
            Object id = get(handshakeId, type);
            return id instanceof Byte ? ((Byte) id) & 0xFF : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    boolean isPostHandshake(Object handshakeContext) {
        return postHandshakeContext != null && postHandshakeContext.isInstance(handshakeContext);
    }

    /** Whether the session being resumed carries a ticket (presence only; the bytes are never read). */
    boolean ticketOffered(Object resumingSession) {
        return get(sessionPskIdentity, resumingSession) != null;
    }

    /** The key-exchange group from the credentials or possessions of the handshake, e.g. {@code x25519}. */
    String namedGroup(Object handshakeContext) {
        String group = groupIn(get(hcCredentials, handshakeContext), credentialsNamedGroup);
        return group != null ? group : groupIn(get(hcPossessions, handshakeContext), possessionNamedGroup);
    }

    private String groupIn(Object list, Method getter) {
        if (!(list instanceof Iterable) || getter == null) {
            return null;
        }
        for (Object item : (Iterable<?>) list) {
            if (getter.getDeclaringClass().isInstance(item)) {
                try {
                    String name = name(namedGroupName, getter.invoke(item));
                    if (name != null) {
                        return name;
                    }
                } catch (ReflectiveOperationException | RuntimeException ignored) {
                    // another credential may still tell
                }
            }
        }
        return null;
    }

    private Class<?> type(String simpleName) {
        try {
            return Class.forName(PKG + simpleName, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            missing.add(simpleName);
            return null;
        }
    }

    private Field field(String owner, String name) {
        Field f = lookupField(owner, name);
        if (f == null) {
            missing.add(owner + "." + name);
        }
        return f;
    }

    private Field optionalField(String owner, String name) {
        return lookupField(owner, name);
    }

    private static Field lookupField(String owner, String name) {
        try {
            Field f = Class.forName(PKG + owner, false, null).getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private Method method(String owner, String name, String... parameterTypes) {
        try {
            Method m = Class.forName(PKG + owner, false, null).getDeclaredMethod(name, types(parameterTypes));
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            missing.add(owner + "." + name + "()");
            return null;
        }
    }

    private java.lang.reflect.Constructor<?> constructor(String owner, String... parameterTypes) {
        try {
            java.lang.reflect.Constructor<?> c = Class.forName(PKG + owner, false, null)
                    .getDeclaredConstructor(types(parameterTypes));
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            missing.add(owner + "(" + String.join(", ", parameterTypes) + ")");
            return null;
        }
    }

    private static Class<?>[] types(String... simpleNames) throws ClassNotFoundException {
        Class<?>[] types = new Class<?>[simpleNames.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = Class.forName(PKG + simpleNames[i], false, null);
        }
        return types;
    }

    /** The body of a received handshake message (positioned after its 4-byte header), or null. */
    java.nio.ByteBuffer body(Object plaintext) {
        Object fragment = get(plaintextFragment, plaintext);
        return fragment instanceof java.nio.ByteBuffer ? (java.nio.ByteBuffer) fragment : null;
    }

    /**
     * The body of an outgoing message, serialized again into a stream that goes nowhere (as SunJSSE itself does
     * to rebuild transcript hashes); null if that is not possible.
     */
    java.nio.ByteBuffer serialize(Object handshakeMessage) {
        if (messageWrite == null || outStreamOffline == null) {
            return null;
        }
        try {
            java.io.ByteArrayOutputStream out = (java.io.ByteArrayOutputStream) outStreamOffline.newInstance(
                    (Object) null);
            messageWrite.invoke(handshakeMessage, out);
            byte[] bytes = out.toByteArray();
            return bytes.length >= 4 ? java.nio.ByteBuffer.wrap(bytes, 4, bytes.length - 4) : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The signature scheme an outgoing CertificateVerify or ServerKeyExchange carries (a field of the message). */
    String signatureScheme(Object handshakeMessage) {
        Field f = SIGNATURE_SCHEME_FIELD.get(handshakeMessage.getClass());
        return name(signatureSchemeName, get(f, handshakeMessage));
    }

    /** The {@code signatureScheme} field of a message class (or its superclasses), looked up once per class. */
    private static final ClassValue<Field> SIGNATURE_SCHEME_FIELD = new ClassValue<Field>() {
        @Override
        protected Field computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                try {
                    Field f = c.getDeclaredField("signatureScheme");
                    f.setAccessible(true);
                    return f;
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                } catch (RuntimeException e) {
                    return null;
                }
            }
            return null;
        }
    };
}
