package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tlsagent.testsupport.ForkedJvm;
import io.tlsagent.testsupport.Scrape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's disk full, then freed; the log on a "disk" that never takes a byte. The application never notices. */
class DiskFaultsIT {

    @TempDir
    Path dir;

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void aFullDiskDropsAndCountsThenWritingResumes() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("small-disk"));
        // A 128 KiB tmpfs: a real file system that fills up (needs root, as CI runs).
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", disk.toString()) == 0,
                "cannot mount a tmpfs here");
        try {
            Path filler = disk.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException full) {
                // no space left on device: what we wanted
            }
            Path log = disk.resolve("tls.jsonl");
            try (ForkedJvm p = Forks.workload(dir, "--interactive").agentArgs("log=file:" + log).start()) {
                p.awaitStdout("INTERACTIVE " + p.pid());
                p.send("socket-tls13-full");
                p.awaitStdout("DONE socket-tls13-full");
                double dropped = 0;
                for (int i = 0; i < 50 && dropped < 2; i++) {
                    Thread.sleep(100);
                    dropped = p.scrape().sum("tls_agent_log_dropped_total");
                }
                assertThat(dropped).as("both lines dropped and counted").isEqualTo(2.0);
                Files.delete(filler); // space again
                p.send("engine-tls12-full");
                p.awaitStdout("DONE engine-tls12-full");
                for (int i = 0; i < 50 && (!Files.exists(log) || Files.readAllLines(log).size() < 2); i++) {
                    Thread.sleep(100);
                }
                assertThat(Files.readAllLines(log)).as("writing resumed").hasSize(2)
                        .allSatisfy(l -> assertThat(l).startsWith("{").contains("engine-tls12-full/engine"));
                assertThat(p.stdout()).filteredOn(l -> l.startsWith("OUTCOME")).hasSize(4)
                        .allSatisfy(l -> assertThat(l).contains("session TLSv1."));
                assertThat(p.finish()).isZero();
                assertThat(p.stderr()).filteredOn(l -> l.contains("cannot write the JSON log")).hasSize(1);
            }
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    @Test
    void aLogThatNeverTakesAByteNeverHoldsTheApplication() throws Exception {
        // A named pipe nobody reads: the agent's writer thread blocks forever on it, like a hung disk.
        Path pipe = dir.resolve("hung.jsonl");
        assumeTrue(run("mkfifo", pipe.toString()) == 0, "no mkfifo here");
        try (ForkedJvm p = Forks.workload(dir, "--steps",
                "socket-tls13-full,socket-tls12-full,engine-tls13-resume,socket-untrusted", "--hold")
                .agentArgs("log=file:" + pipe).start()) {
            p.awaitStdout("READY");
            Scrape scrape = p.scrape();
            // Every handshake completed and was counted, while the log could not take a single line.
            assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(10.0);
            assertThat(p.stdout()).filteredOn(l -> l.startsWith("OUTCOME")).hasSize(10);
            // JVM shutdown waits for the log a bounded time (2 s), then exits.
            assertThat(p.finish()).isZero();
        }
    }

    @Test
    void aSlowDiskNeverSlowsTheApplicationAndLosesNoLine() throws Exception {
        // A named pipe the test drains at a trickle (at most 50 KB/s): every write of the agent's writer thread waits.
        Path pipe = dir.resolve("slow.jsonl");
        assumeTrue(run("mkfifo", pipe.toString()) == 0, "no mkfifo here");
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (java.io.InputStream in = Files.newInputStream(pipe)) {
                byte[] chunk = new byte[512];
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    synchronized (written) {
                        written.write(chunk, 0, n);
                    }
                    Thread.sleep(10);
                }
            } catch (IOException | InterruptedException e) {
                // the pipe ends with the JVM
            }
        }, "slow-disk");
        reader.setDaemon(true);
        reader.start();
        long sides;
        try (ForkedJvm p = Forks.workload(dir, "--soak", "2", "4", "--hold").agentArgs("log=file:" + pipe).start()) {
            p.awaitStdout("READY", 120);
            sides = Long.parseLong(p.value("SOAK"));
            System.out.println("handshakes done: " + sides + " sides; lines through the slow disk so far: "
                    + lines(written));
            // The lines keep arriving as fast as the slow disk takes them.
            for (int i = 0; i < 1200 && lines(written) < sides; i++) {
                Thread.sleep(100);
            }
            Scrape scrape = p.scrape();
            assertThat(scrape.sum("tls_handshakes_total")).isEqualTo((double) sides);
            assertThat(scrape.sum("tls_agent_log_dropped_total")).isZero();
            assertThat(p.finish()).isZero();
        }
        reader.join(10_000);
        String text;
        synchronized (written) {
            text = written.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> all = List.of(text.split("\n"));
        for (String line : all) {
            assertThat(json.readTree(line).at("/tls/established").isBoolean()).as("a whole record: " + line).isTrue();
        }
        assertThat(all).as("every handshake's line, whole").hasSize((int) sides);
    }

    private static long lines(java.io.ByteArrayOutputStream out) {
        synchronized (out) {
            byte[] bytes = out.toByteArray();
            long n = 0;
            for (byte b : bytes) {
                n += b == '\n' ? 1 : 0;
            }
            return n;
        }
    }
}
