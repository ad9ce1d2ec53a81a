package io.tlsagent.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The openssl command line as an outside peer and an outside oracle. */
final class Openssl {

    /** What openssl says about one connection: {@code New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384}. */
    static final class Session {
        final boolean reused;
        final String protocol;
        final String cipher;

        Session(boolean reused, String protocol, String cipher) {
            this.reused = reused;
            this.protocol = protocol;
            this.cipher = cipher;
        }

        @Override
        public String toString() {
            return (reused ? "Reused, " : "New, ") + protocol + ", " + cipher;
        }
    }

    private static final Pattern SESSION_LINE = Pattern.compile("^(New|Reused), (\\S+), Cipher is (\\S+)$",
            Pattern.MULTILINE);

    private Openssl() {}

    static List<Session> sessions(String output) {
        List<Session> sessions = new ArrayList<>();
        Matcher m = SESSION_LINE.matcher(output);
        while (m.find()) {
            if (!m.group(2).equals("(NONE)")) { // a failed connection
                sessions.add(new Session(m.group(1).equals("Reused"), m.group(2), m.group(3)));
            }
        }
        return sessions;
    }

    /** OpenSSL's cipher names to IANA's, as {@code openssl ciphers -stdname} tells. */
    static Map<String, String> ianaNames() throws IOException, InterruptedException {
        Map<String, String> names = new HashMap<>();
        for (String line : run(List.of("openssl", "ciphers", "-stdname", "ALL:COMPLEMENTOFALL"), 0).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("-")) {
                names.put(parts[2], parts[0]);
                names.put(parts[0], parts[0]);
            }
        }
        return names;
    }

    /**
     * Runs openssl; stdin stays open for {@code stdinOpenMillis} (so s_client can take in a TLS 1.3 session
     * ticket before it leaves) and is then closed. Returns stdout and stderr together.
     */
    static String run(List<String> command, long stdinOpenMillis) throws IOException, InterruptedException {
        return run(command, stdinOpenMillis, null);
    }

    /**
     * Like {@link #run(List, long)}, but keeps stdin open (at most 15 s) until {@code awaitFile} exists: s_client
     * writes {@code -sess_out} only once the server's session ticket arrived, which takes longer on a busy machine.
     */
    static String run(List<String> command, long stdinOpenMillis, Path awaitFile)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // process gone
            }
        });
        reader.start();
        Thread.sleep(stdinOpenMillis);
        for (int i = 0; awaitFile != null && i < 150 && !java.nio.file.Files.exists(awaitFile) && p.isAlive(); i++) {
            Thread.sleep(100);
        }
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl did not finish: " + command);
        }
        reader.join(5000);
        return out.toString();
    }

    /**
     * Starts {@code openssl s_server -www} with the test PKI on a free port ({@code options}: more of its options)
     * and waits until it listens.
     */
    static Process wwwServer(Path pkiDir, int port, String... options) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "s_server", "-accept",
                Integer.toString(port), "-cert", pkiDir.resolve("server.pem").toString(), "-key",
                pkiDir.resolve("server-key.pem").toString(), "-www"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(pkiDir.resolve("s_server.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("openssl s_server did not start: "
                + new String(java.nio.file.Files.readAllBytes(pkiDir.resolve("s_server.log")), StandardCharsets.UTF_8));
    }
}
