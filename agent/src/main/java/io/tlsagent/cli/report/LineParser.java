package io.tlsagent.cli.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads one JSON log line into a {@link Handshake} with Jackson's streaming parser, keeping only the fields the
 * report uses. A line that is not a handshake record gives the reason it was skipped instead.
 */
final class LineParser {

    private final JsonFactory factory = new JsonFactory();
    private String timestamp;
    private String action;
    private String outcome;
    private String versionProtocol;
    private String versionNumber;
    /** The leaf as written without the anatomy: {@code tls.server.subject}, {@code .not_after}, {@code .hash.sha256}. */
    private Handshake.Certificate pendingLeaf;

    /**
     * Fills {@code h} from the UTF-8 line in {@code bytes[0..length)}; returns null, or why the line is not a usable
     * handshake record.
     */
    String parse(byte[] bytes, int length, Handshake h) {
        h.clear();
        timestamp = null;
        action = null;
        outcome = null;
        versionProtocol = null;
        versionNumber = null;
        pendingLeaf = null;
        try (JsonParser p = factory.createParser(bytes, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "not a JSON object";
            }
            object(p, "", h);
            if (p.nextToken() != null) {
                return "not one JSON object";
            }
        } catch (IOException e) { // JsonProcessingException, or bytes that are not UTF-8
            return "not valid JSON";
        }
        if (!"tls-handshake".equals(action)) {
            return "not a handshake record (event.action)";
        }
        if (timestamp == null) {
            return "no @timestamp";
        }
        try {
            h.timestamp = Instant.parse(timestamp).toEpochMilli();
        } catch (DateTimeParseException e) {
            return "bad @timestamp";
        }
        if (!"client".equals(h.role) && !"server".equals(h.role)) {
            return "no tls_agent.role";
        }
        if (!"success".equals(outcome) && !"failure".equals(outcome)) {
            return "no event.outcome";
        }
        h.success = outcome.equals("success");
        if (versionProtocol != null && versionNumber != null) {
            h.version = versionName(versionProtocol, versionNumber);
        }
        if (h.success && (h.version == null || h.cipher == null)) {
            return "success without tls.version or tls.cipher";
        }
        for (Handshake.Certificate c : h.certificates) {
            if (c.presenter.equals("peer")) {
                c.presenter = h.role.equals("client") ? "server" : "client";
            } else if (c.presenter.equals("local")) {
                c.presenter = h.role;
            }
        }
        return null;
    }

    /** {@code tls} and {@code 1.3} back to JSSE's {@code TLSv1.3}; {@code 1.0} is {@code TLSv1}, as JSSE names it. */
    static String versionName(String protocol, String number) {
        String n = number.equals("1.0") && protocol.equals("tls") ? "1" : number.equals("3.0") ? "3" : number;
        return protocol.toUpperCase(java.util.Locale.ROOT) + "v" + n;
    }

    private void object(JsonParser p, String path, Handshake h) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.getCurrentName();
            JsonToken t = p.nextToken();
            String field = path.isEmpty() ? name : path + "." + name;
            if (t == JsonToken.START_OBJECT) {
                if (field.equals("tls.client.x509") || field.equals("tls.server.x509")) {
                    p.skipChildren(); // the same leaf is in tls_agent.*_chain with its fingerprint
                } else {
                    object(p, field, h);
                }
            } else if (t == JsonToken.START_ARRAY) {
                array(p, field, h);
            } else if (t == JsonToken.VALUE_STRING) {
                string(field, p.getText(), h);
            } else if (t == JsonToken.VALUE_NUMBER_INT && field.equals("server.port")) {
                h.serverPort = p.getIntValue();
            }
        }
    }

    private void array(JsonParser p, String field, Handshake h) throws IOException {
        switch (field) {
            case "tls_agent.client_hello.versions":
                strings(p, h.offeredVersions);
                return;
            case "tls_agent.client_hello.cipher_suites":
                strings(p, h.offeredCiphers);
                return;
            case "tls_agent.client_hello.groups":
                strings(p, h.offeredGroups);
                return;
            case "tls.client.supported_ciphers":
                if (!h.offeredCiphers.isEmpty()) {
                    p.skipChildren(); // the same list again
                    return;
                }
                strings(p, h.offeredCiphers);
                return;
            case "tls_agent.peer_chain":
            case "tls_agent.local_chain":
                boolean peer = field.endsWith("peer_chain");
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    Handshake.Certificate c = new Handshake.Certificate();
                    c.presenter = peer ? "peer" : "local";
                    certificate(p, c);
                    (peer ? h.peerChain : h.localChain).add(c.copy(null));
                    h.addCertificate(c);
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    p.skipChildren();
                }
                return;
            default:
                p.skipChildren();
        }
    }

    private static void strings(JsonParser p, java.util.List<String> into) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.VALUE_STRING) {
                into.add(p.getText());
            } else {
                p.skipChildren();
            }
        }
    }

    private static void certificate(JsonParser p, Handshake.Certificate c) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.getCurrentName();
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_STRING) {
                p.skipChildren();
                continue;
            }
            switch (name) {
                case "sha256":
                    c.sha256 = p.getText();
                    break;
                case "subject":
                    c.subject = p.getText();
                    break;
                case "not_after":
                    c.notAfter = p.getText();
                    break;
                default:
                    break;
            }
        }
    }

    private void string(String field, String value, Handshake h) {
        switch (field) {
            case "@timestamp":
                timestamp = value;
                break;
            case "event.action":
                action = value;
                break;
            case "event.outcome":
                outcome = value;
                break;
            case "tls.version_protocol":
                versionProtocol = value;
                break;
            case "tls.version":
                versionNumber = value;
                break;
            case "tls.cipher":
                h.cipher = value;
                break;
            case "tls.curve":
                h.curve = value;
                break;
            case "tls.client.server_name":
                h.serverName = value;
                break;
            case "client.address":
                h.clientAddress = value;
                break;
            case "server.address":
                h.serverAddress = value;
                break;
            case "error.type":
                h.errorType = value;
                break;
            case "error.message":
                h.errorMessage = value;
                break;
            case "service.name":
                h.service = value;
                break;
            case "tls_agent.role":
                h.role = value;
                break;
            case "tls_agent.client_hello.ja4":
                h.ja4 = value;
                break;
            case "tls_agent.client_hello.legacy_version":
                h.legacyVersion = value;
                break;
            case "tls_agent.client_hello.id":
                h.clientHelloId = value;
                break;
            case "tls_agent.detail":
                h.summary = value.equals("summary");
                break;
            case "tls_agent.peer_chain_id":
                h.peerChainId = value;
                break;
            case "tls_agent.local_chain_id":
                h.localChainId = value;
                break;
            default:
                leafCertificate(field, value, h);
        }
    }

    private void leafCertificate(String field, String value, Handshake h) {
        String presenter = field.startsWith("tls.server.") ? "server" : field.startsWith("tls.client.") ? "client"
                : null;
        if (presenter == null) {
            return;
        }
        String rest = field.substring(presenter.length() + 5);
        if (!rest.equals("subject") && !rest.equals("not_after") && !rest.equals("hash.sha256")) {
            return;
        }
        if (pendingLeaf == null || !pendingLeaf.presenter.equals(presenter)) {
            pendingLeaf = new Handshake.Certificate();
            pendingLeaf.presenter = presenter;
        }
        if (rest.equals("subject")) {
            pendingLeaf.subject = value;
        } else if (rest.equals("not_after")) {
            pendingLeaf.notAfter = value;
        } else {
            pendingLeaf.sha256 = value; // written last of the three
            h.addCertificate(pendingLeaf);
            pendingLeaf = null;
        }
    }
}
