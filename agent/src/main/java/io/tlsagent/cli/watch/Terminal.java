package io.tlsagent.cli.watch;

import java.io.Console;

/** Whether stdout is a terminal (then colour is welcome). */
final class Terminal {

    private Terminal() {}

    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // JDK 22 and later return a Console also when redirected; Console.isTerminal() (22+) tells.
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException before22) {
            return true;
        }
    }
}
