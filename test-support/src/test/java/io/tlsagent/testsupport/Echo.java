package io.tlsagent.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The program {@link ForkedJvmTest} forks: says a few things, answers each stdin line, ends at EOF. */
public final class Echo {

    private Echo() {}

    public static void main(String[] args) throws Exception {
        System.out.println("ARGS " + String.join(",", args));
        System.out.println("ENV " + System.getenv("TLSAGENT_PORT") + " " + System.getenv("ECHO_VAR"));
        System.out.println("KEY first");
        System.out.println("KEY second");
        System.err.println("to stderr");
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            System.out.println("DONE " + line);
        }
        System.exit(3);
    }
}
