package io.tlsagent.capture;

import io.tlsagent.util.ClassFiles;
import java.util.Map;

/**
 * Whether this JDK's SunJSSE has what the deep hooks cannot work without (the fields that tell when and how a
 * handshake ends), read from its class files: no class is loaded, so the agent can decide before the first use of
 * TLS and leave the loading (and hooking) of SunJSSE's classes to later. {@link SunJsse} reads the fields
 * themselves; a detail it cannot find is left out of the records, said once.
 */
final class SunJsseShape {

    private static final String PACKAGE = "sun/security/ssl/";
    private static final String ANY_OBJECT = "L";

    private SunJsseShape() {}

    static boolean usable() {
        try {
            return has("TransportContext", "handshakeContext", ANY_OBJECT)
                    && has("TransportContext", "sslConfig", ANY_OBJECT)
                    && has("TransportContext", "transport", ANY_OBJECT)
                    && has("SSLConfiguration", "isClientMode", "Z")
                    && has("HandshakeContext", "conContext", ANY_OBJECT);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** Whether the class declares the field, its descriptor starting with {@code descriptor}. */
    private static boolean has(String simpleName, String field, String descriptor) {
        byte[] classfile = ClassFiles.ofJdkClass(PACKAGE + simpleName);
        if (classfile == null) {
            return false;
        }
        Map<String, String> fields = ClassFiles.fields(classfile);
        String found = fields.get(field);
        return found != null && found.startsWith(descriptor);
    }
}
