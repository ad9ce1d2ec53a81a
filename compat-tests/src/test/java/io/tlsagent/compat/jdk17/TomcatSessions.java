package io.tlsagent.compat.jdk17;

import jakarta.servlet.http.HttpServletRequest;
import io.tlsagent.compat.apps.App;

/** What Tomcat tells a servlet about the request's TLS connection (it does not expose SNI). */
final class TomcatSessions {

    private TomcatSessions() {}

    static String view(HttpServletRequest req) {
        return App.serverView("tomcat", req.getProtocol(),
                (String) req.getAttribute("org.apache.tomcat.util.net.secure_protocol_version"),
                (String) req.getAttribute("jakarta.servlet.request.cipher_suite"), "?");
    }
}
