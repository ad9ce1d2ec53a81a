package io.tlsagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceNamesTest {

    @Test
    void jarPathGivesFileNameWithoutExtension() {
        assertThat(ServiceNames.fromCommand("/opt/app/orders.jar --x")).isEqualTo("orders");
        assertThat(ServiceNames.fromCommand("orders.jar")).isEqualTo("orders");
        assertThat(ServiceNames.fromCommand("  /opt/app/orders.jar\t--spring.profiles.active=prod")).isEqualTo("orders");
    }

    @Test
    void windowsJarPath() {
        assertThat(ServiceNames.fromCommand("C:\\apps\\billing.jar")).isEqualTo("billing");
    }

    @Test
    void mainClassGivesSimpleName() {
        assertThat(ServiceNames.fromCommand("com.acme.Orders arg")).isEqualTo("Orders");
        assertThat(ServiceNames.fromCommand("Main")).isEqualTo("Main");
    }

    @Test
    void nullOrBlankGivesJava() {
        assertThat(ServiceNames.fromCommand(null)).isEqualTo("java");
        assertThat(ServiceNames.fromCommand("")).isEqualTo("java");
        assertThat(ServiceNames.fromCommand("   ")).isEqualTo("java");
    }

    /*
     * KNOWN BUG (fails until ServiceNames.fromCommand is fixed): sun.java.command holds the jar path unquoted, so a
     * path with a space is cut at the space and the "service name" becomes a directory fragment such as
     * "/opt/my" or "C:\\Program". Expected: the jar's file name without ".jar".
     */
    @Test
    void jarPathWithSpaceGivesFileName() {
        assertThat(ServiceNames.fromCommand("/opt/my apps/orders.jar --x")).isEqualTo("orders");
    }

    @Test
    void windowsJarPathUnderProgramFilesGivesFileName() {
        assertThat(ServiceNames.fromCommand("C:\\Program Files\\Acme\\billing.jar")).isEqualTo("billing");
    }
}
