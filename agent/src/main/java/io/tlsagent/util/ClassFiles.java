package io.tlsagent.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads what the agent needs to know of a class from its class file (JVMS 4.1), without loading the class: which
 * class it extends, which fields it declares. Names in the classes the agent reads are plain ASCII, so modified
 * UTF-8 reads as ISO-8859-1 here.
 */
public final class ClassFiles {

    private ClassFiles() {}

    /** A JDK class's file (class files are never encapsulated in modules), or null when there is none. */
    public static byte[] ofJdkClass(String internalName) {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in != null ? in.readAllBytes() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The internal name of the direct superclass ({@code javax/net/ssl/SSLEngine}), or null (java.lang.Object). */
    public static String superclassName(byte[] b) {
        int[] pool = constantPool(b);
        int superClass = u2(b, pool[0] + 4); // after access_flags and this_class
        return superClass == 0 ? null : utf8(b, pool[u2(b, pool[superClass] + 1)]);
    }

    /** The fields the class declares: name to descriptor ({@code isClientMode} to {@code Z}). */
    public static Map<String, String> fields(byte[] b) {
        int[] pool = constantPool(b);
        int p = pool[0] + 6; // access_flags, this_class, super_class
        p += 2 + 2 * u2(b, p); // interfaces
        int count = u2(b, p);
        p += 2;
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < count; i++) {
            fields.put(utf8(b, pool[u2(b, p + 2)]), utf8(b, pool[u2(b, p + 4)]));
            int attributes = u2(b, p + 6);
            p += 8;
            for (int a = 0; a < attributes; a++) {
                p += 6 + u4(b, p + 2);
            }
        }
        return fields;
    }

    /** Where each constant pool entry starts; index 0 holds where the pool ends. */
    private static int[] constantPool(byte[] b) {
        int count = u2(b, 8);
        int[] offset = new int[count];
        int p = 10;
        for (int i = 1; i < count; i++) {
            offset[i] = p;
            switch (b[p]) {
                case 1: // Utf8
                    p += 3 + u2(b, p + 1);
                    break;
                case 5: // Long
                case 6: // Double: two entries
                    p += 9;
                    i++;
                    break;
                case 7: // Class
                case 8: // String
                case 16: // MethodType
                case 19: // Module
                case 20: // Package
                    p += 3;
                    break;
                case 15: // MethodHandle
                    p += 4;
                    break;
                case 3: // Integer
                case 4: // Float
                case 9: // Fieldref
                case 10: // Methodref
                case 11: // InterfaceMethodref
                case 12: // NameAndType
                case 17: // Dynamic
                case 18: // InvokeDynamic
                    p += 5;
                    break;
                default:
                    throw new IllegalArgumentException("constant pool tag " + b[p]);
            }
        }
        offset[0] = p;
        return offset;
    }

    private static String utf8(byte[] b, int entry) {
        return new String(b, entry + 3, u2(b, entry + 1), StandardCharsets.ISO_8859_1);
    }

    private static int u2(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static int u4(byte[] b, int at) {
        return u2(b, at) << 16 | u2(b, at + 2);
    }
}
