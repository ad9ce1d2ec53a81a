package io.tlsagent.export.otel;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.tlsagent.util.AgentLog;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/**
 * Says what went wrong with a push, once per kind of problem (like the rest of the agent), in words that point
 * at the fix. The SDK has already retried what can change (HTTP 429, 502, 503, 504, a refused or reset
 * connection, with backoff) when the result arrives here; 401, 403 and 413 are never retried: the same request
 * would get the same answer.
 */
final class OtlpOutcomes {

    private static final String NO_ANSWER = "no answer within the timeout (OTEL_EXPORTER_OTLP_TIMEOUT), also after"
            + " retries";

    private OtlpOutcomes() {}

    /** Says (once per kind) why {@code result} failed; {@code what}: "metrics to http://...", ... */
    static void failed(String what, CompletableResultCode result, String consequence) {
        AgentLog.once("OTLP push of " + what + " failed: " + reason(result.isDone() ? result.getFailureThrowable()
                : null, result.isDone()) + "; " + consequence);
    }

    static String reason(Throwable failure, boolean done) {
        if (!done) {
            return NO_ANSWER;
        }
        if (failure instanceof FailedExportException.HttpExportException) {
            FailedExportException.HttpExportException http = (FailedExportException.HttpExportException) failure;
            if (http.failedWithResponse() && http.getResponse() != null) {
                return status(http.getResponse().getStatusCode());
            }
            failure = http.getCause();
        }
        if (failure == null) {
            return "the exporter gave no reason";
        }
        if (failure instanceof ConnectException) {
            return "cannot connect (nothing listens there, or it cannot be reached), also after retries";
        }
        if (failure instanceof HttpTimeoutException) {
            return NO_ANSWER;
        }
        if (failure instanceof SSLException) {
            return "TLS to the Collector failed (" + failure.getMessage() + "); set OTEL_EXPORTER_OTLP_CERTIFICATE to"
                    + " the Collector's CA (PEM)";
        }
        return failure.getClass().getName() + (failure.getMessage() != null ? ": " + failure.getMessage() : "")
                + ", also after retries";
    }

    static String status(int code) {
        switch (code) {
            case 401:
                return "HTTP 401 (unauthorized: check otlp_headers), not retried";
            case 403:
                return "HTTP 403 (forbidden: check otlp_headers), not retried";
            case 413:
                return "HTTP 413 (the request is too large for the Collector), not retried";
            case 429:
            case 502:
            case 503:
            case 504:
                return "HTTP " + code + ", also after retries";
            default:
                return "HTTP " + code + ", not retried";
        }
    }
}
