package io.tlsagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
            try (AgentProcess p = AgentProcess.start(dir, "log=file:" + log, List.of(), Workload.class.getName(),
                    "--interactive")) {
                p.awaitStdout("INTERACTIVE " + p.pid());
                p.send("socket-tls13-full");
                p.awaitStdout("DONE socket-tls13-full");
                double dropped = 0;
                for (int i = 0; i < 50 && dropped < 2; i++) {
                    Thread.sleep(100);
                    dropped = new Scrape(p.scrape()).sum("tls_agent_log_dropped_total");
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
        try (AgentProcess p = AgentProcess.start(dir, "log=file:" + pipe, List.of(), Workload.class.getName(),
                "--steps", "socket-tls13-full,socket-tls12-full,engine-tls13-resume,socket-untrusted", "--hold")) {
            p.awaitStdout("READY");
            Scrape scrape = new Scrape(p.scrape());
            // Every handshake completed and was counted, while the log could not take a single line.
            assertThat(scrape.sum("tls_handshakes_total")).isEqualTo(10.0);
            assertThat(p.stdout()).filteredOn(l -> l.startsWith("OUTCOME")).hasSize(10);
            // JVM shutdown waits for the log a bounded time (2 s), then exits.
            assertThat(p.finish()).isZero();
        }
    }
}
