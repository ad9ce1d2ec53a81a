package io.tlsagent.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

/**
 * In a JVM of its own: when the application's class loader has loaded the bridge from the agent's jar before the
 * agent started (the jar on the class path, and a class-data or AOT cache that loads classes at startup), the
 * agent's classes would talk to that copy while the JDK's hooks call the boot loader's: the agent refuses to start
 * instead of recording nothing.
 */
class BootstrapInjectorInJvmTest {

    @Test
    void refusesToStartWhenItsClassesSeeACopyOfTheBridge() throws Exception {
        Class<?> copy = Class.forName(BootstrapInjector.BRIDGE_CLASSES.get(0), false, getClass().getClassLoader());
        assertThat(copy.getClassLoader()).as("this test's class path has the bridge, as the jar would").isNotNull();
        Instrumentation inst = ByteBuddyAgent.install();
        assertThatThrownBy(() -> BootstrapInjector.inject(inst)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keep tls-agent.jar off the class path");
    }
}
