package io.tlsagent.extension;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.tlsagent.TlsAgent;
import io.tlsagent.export.otel.OtelHandshakes;
import io.tlsagent.util.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * tls-agent as an extension of the OpenTelemetry Java agent ({@code -Dotel.javaagent.extensions=
 * tls-agent-otel-extension.jar}): that agent loads this class from its extension class loader (through
 * META-INF/services), which links {@code io.opentelemetry.api} to that agent's own copy, so the handshakes go
 * through its configured providers, exporters and resource. Only in the extension jar: tls-agent.jar's
 * OpenTelemetry classes are relocated onto its bundled SDK.
 */
public final class OtelExtension implements AgentListener {

    @Override
    public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
        try {
            Instrumentation inst = (Instrumentation) Class.forName(
                    "io.opentelemetry.javaagent.bootstrap.InstrumentationHolder", false, null)
                    .getMethod("getInstrumentation").invoke(null);
            if (inst == null) {
                AgentLog.info("the OpenTelemetry agent gave no Instrumentation; tls-agent is off");
                return;
            }
            OpenTelemetry otel = GlobalOpenTelemetry.get();
            TlsAgent.startAsExtension(inst, sources -> new OtelHandshakes(
                    otel.getMeterProvider().meterBuilder(OtelHandshakes.SCOPE)
                            .setInstrumentationVersion(sources.version()).build(),
                    otel.getLogsBridge().loggerBuilder(OtelHandshakes.SCOPE)
                            .setInstrumentationVersion(sources.version()).build(),
                    sources));
        } catch (Throwable t) {
            AgentLog.info("could not start as the OpenTelemetry agent's extension (" + t + "); tls-agent is off,"
                    + " the application is unaffected");
        }
    }
}
