package io.tlsagent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsagent.bootstrap.SunJsseEvents;
import io.tlsagent.instrumentation.ProviderClasses;
import io.tlsagent.instrumentation.TlsInstrumentation;
import io.tlsagent.record.HandshakeRecord;
import io.tlsagent.util.AgentErrors;
import io.tlsagent.util.HandshakeSpans;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;

/**
 * Wires the agent's hooks and captures into the test's own JVM, as the runtime does, with a sink of the test's
 * (which gets the records as the handshake's thread hands them over: raw, before the export thread's anatomy).
 * A class of its own because it names the bridge: it must load only after the bridge was defined in the boot
 * class loader.
 */
final class InJvmHooks {

    private InJvmHooks() {}

    static TlsInstrumentation install(Instrumentation inst, Consumer<HandshakeRecord> sink, HandshakeSpans spans,
            AgentErrors errors) {
        assertThat(SunJsseEvents.class.getClassLoader()).as("the bridge is the boot loader's").isNull();
        ProviderClasses providers = new ProviderClasses(inst, errors);
        TlsInstrumentation hooks = TlsInstrumentation.install(inst, errors, providers, false);
        boolean deep = Capture.sunJsseUsable();
        assertThat(deep).as("this JDK's SunJSSE is as the deep hooks expect").isTrue();
        providers.sunJsseHookedDeeply();
        new Capture(sink, spans, errors, providers::created, deep).start();
        return hooks;
    }

    static void remove(TlsInstrumentation hooks, AgentErrors errors) {
        Capture.stop();
        hooks.remove(errors);
    }
}
