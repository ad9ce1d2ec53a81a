package io.tlsagent.compat.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot application a user has: spring-boot-starter-web with HTTPS on its embedded Tomcat (the keystore
 * and port come from the command line, as {@code server.ssl.*} properties), the actuator with its Prometheus
 * endpoint, and a common tag ({@code application.properties}). Built with Spring Boot 4 and 3 (compat-tests/apps/
 * spring-boot-4 and -3 compile this same source); nothing in it knows the agent.
 */
@SpringBootApplication
public class BootApp {

    public static void main(String[] args) {
        SpringApplication.run(BootApp.class, args);
    }

    @RestController
    static class Hello {
        @GetMapping("/")
        String hello() {
            return "hello\n";
        }
    }
}
