package io.tlsagent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class StartGateTest {

    /** A provider's engine: the gate holds back the thread that loads such a class until the hooks are in. */
    abstract static class SomeEngine extends SSLEngine {
    }

    abstract static class SomeSocket extends SSLSocket {
    }

    /** Extends an engine class, not SSLEngine itself: its superclass is gated when it loads. */
    abstract static class SubEngine extends SomeEngine {
    }

    @Test
    void gatesOnlyDirectEnginesAndSockets() throws IOException {
        assertThat(StartGate.extendsEngineOrSocket(bytes(SomeEngine.class))).isTrue();
        assertThat(StartGate.extendsEngineOrSocket(bytes(SomeSocket.class))).isTrue();
        assertThat(StartGate.extendsEngineOrSocket(bytes(SubEngine.class))).isFalse();
        assertThat(StartGate.extendsEngineOrSocket(bytes(StartGateTest.class))).isFalse();
        assertThat(StartGate.extendsEngineOrSocket(new byte[] {(byte) 0xca, (byte) 0xfe, 0, 0, 0, 0, 0, 55, 0, 9}))
                .isFalse();
        assertThat(StartGate.extendsEngineOrSocket(new byte[3])).isFalse();
    }

    private static byte[] bytes(Class<?> type) throws IOException {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
