package io.tlsagent.cli;

import io.tlsagent.cli.attach.AttachCommand;
import io.tlsagent.cli.report.ReportCommand;
import io.tlsagent.cli.watch.WatchTool;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar tls-agent.jar <command> ...}: {@code attach}, {@code detach} and {@code list}
 * ({@link AttachCommand}), {@code watch} streams a JVM's handshakes ({@link WatchTool}), {@code report} reads JSON
 * logs ({@link ReportCommand}). Exit code 0 on success, 1 on a failure (with one line saying
 * why), 2 on a usage error.
 */
public final class Main {

    private static final String USAGE = "usage: java -jar tls-agent.jar attach <pid> [key=value,...]\n"
            + "       java -jar tls-agent.jar detach <pid>\n"
            + "       java -jar tls-agent.jar list\n"
            + "       java -jar tls-agent.jar watch <pid> [--failures] [--role client|server] [--peer TEXT]"
            + " [--sni TEXT] [--min-duration MS] [--json]\n"
            + "       java -jar tls-agent.jar report [options] <log.jsonl[.gz]>...   (report --help)\n"
            + "exit code: 0 ok (attach: the agent runs; what is degraded is said), 1 failed (attach: the agent is off"
            + " or could not start), 2 usage error";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        switch (args.length == 0 ? "" : args[0]) {
            case "list":
                return args.length == 1 ? AttachCommand.list(out) : usage(err);
            case "attach":
                return args.length >= 2 && args.length <= 3 ? AttachCommand.load(args, true, out, err) : usage(err);
            case "detach":
                return args.length == 2 ? AttachCommand.load(args, false, out, err) : usage(err);
            case "watch":
                return WatchTool.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "report":
                return ReportCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "-h":
            case "--help":
            case "help":
                out.println(USAGE);
                return 0;
            case "":
                return usage(err);
            default:
                err.println("tls-agent: unknown command '" + args[0] + "'");
                return usage(err);
        }
    }

    private static int usage(PrintStream err) {
        err.println(USAGE);
        return 2;
    }
}
