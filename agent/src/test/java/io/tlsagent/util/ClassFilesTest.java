package io.tlsagent.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class ClassFilesTest {

    abstract static class SomeEngine extends SSLEngine {
        private boolean clientMode;
        long[] counts;
        static final String NAME = "x";
    }

    @Test
    void readsTheDirectSuperclass() throws IOException {
        assertThat(ClassFiles.superclassName(bytes(SomeEngine.class))).isEqualTo("javax/net/ssl/SSLEngine");
        assertThat(ClassFiles.superclassName(bytes(ClassFilesTest.class))).isEqualTo("java/lang/Object");
        assertThat(ClassFiles.superclassName(bytes(Object.class))).isNull();
        // A class file with longs, doubles, strings, lambdas and method handles in its constant pool.
        assertThat(ClassFiles.superclassName(bytes(ConcurrentHashMap.class))).isEqualTo("java/util/AbstractMap");
    }

    @Test
    void readsTheDeclaredFieldsWithTheirDescriptors() throws IOException {
        assertThat(ClassFiles.fields(bytes(SomeEngine.class))).isEqualTo(
                Map.of("clientMode", "Z", "counts", "[J", "NAME", "Ljava/lang/String;"));
        // Fields after attributes (ConstantValue, Signature) of the ones before.
        assertThat(ClassFiles.fields(bytes(ConcurrentHashMap.class)))
                .containsEntry("table", "[Ljava/util/concurrent/ConcurrentHashMap$Node;")
                .containsEntry("sizeCtl", "I")
                .containsEntry("MAXIMUM_CAPACITY", "I");
    }

    @Test
    void readsAJdkClassFileWithoutLoadingTheClass() {
        // In a package java.base does not export: class files are never encapsulated.
        byte[] b = ClassFiles.ofJdkClass("sun/security/ssl/SSLConfiguration");
        assertThat(b).isNotNull();
        assertThat(ClassFiles.fields(b)).containsEntry("isClientMode", "Z");
        assertThat(ClassFiles.ofJdkClass("sun/security/ssl/NoSuchClass")).isNull();
    }

    @Test
    void aMalformedClassFileThrows() {
        assertThatThrownBy(() -> ClassFiles.superclassName(new byte[] {(byte) 0xca, (byte) 0xfe, 0, 0, 0, 0, 0, 55,
                0, 9})).isInstanceOf(RuntimeException.class);
    }

    private static byte[] bytes(Class<?> type) throws IOException {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
