package io.tlsagent.cli.report;

import java.util.ArrayList;
import java.util.List;

/** What a planned {@link Policy} would do to one client, judged from what the log shows of it. */
final class Verdict {

    enum Outcome {
        FAILS("fails"), CANNOT_TELL("cannot tell"), FALLS_BACK("falls back"), UNAFFECTED("unaffected");

        final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    private static final int MAX_LISTED = 4;

    final Outcome outcome;
    /** Negotiated version and suite pairs the policy no longer allows. */
    final List<String> disallowed;
    /** Offered suites the policy still allows (at an offered, allowed version). */
    final List<String> alternatives;
    final String reason;

    private Verdict(Outcome outcome, List<String> disallowed, List<String> alternatives, String reason) {
        this.outcome = outcome;
        this.disallowed = disallowed;
        this.alternatives = alternatives;
        this.reason = reason;
    }

    static Verdict judge(Report.Client c, Policy policy) {
        List<String> disallowed = new ArrayList<>();
        for (String combo : c.negotiated.combos.entries().keySet()) {
            int space = combo.indexOf(' ');
            if (space < 0) {
                continue; // the "(other)" bucket of a client with very many pairs
            }
            String version = combo.substring(0, space);
            String suite = combo.substring(space + 1);
            if (!policy.versionAllowed(version) || policy.suiteDenied(suite)) {
                disallowed.add(combo);
            }
        }
        java.util.Collections.sort(disallowed);
        if (!c.helloSeen) {
            if (disallowed.isEmpty() && c.negotiated.total.count > 0) {
                return new Verdict(Outcome.UNAFFECTED, disallowed, List.of(), "negotiated only what stays allowed");
            }
            return new Verdict(Outcome.CANNOT_TELL, disallowed, List.of(),
                    "no ClientHello in the log: what else it offers is unknown");
        }
        List<String> alternatives = new ArrayList<>();
        for (String suite : c.offeredSuiteNames()) {
            if (policy.usable(suite, c.offeredVersions)) {
                alternatives.add(suite);
            }
        }
        int versionsLeft = c.offeredVersions & policy.allowedVersions;
        if (versionsLeft == 0) {
            int highest = TlsVersions.highest(c.offeredVersions);
            boolean allBelow = highest < Integer.numberOfTrailingZeros(policy.allowedVersions);
            return new Verdict(Outcome.FAILS, disallowed, alternatives, allBelow
                    ? "offers at most " + TlsVersions.name(highest)
                    : "offers only " + String.join(", ", TlsVersions.names(c.offeredVersions)));
        }
        if (alternatives.isEmpty()) {
            return new Verdict(Outcome.FAILS, disallowed, alternatives, "offers no allowed cipher suite at "
                    + String.join(", ", TlsVersions.names(versionsLeft)));
        }
        if (disallowed.isEmpty()) {
            return new Verdict(Outcome.UNAFFECTED, disallowed, alternatives, c.negotiated.total.count > 0
                    ? "negotiated only what stays allowed" : "never connected in the log; offers allowed choices");
        }
        return new Verdict(Outcome.FALLS_BACK, disallowed, alternatives, "negotiated " + String.join("; ", disallowed)
                + "; also offers " + list(TlsVersions.names(versionsLeft)) + " with " + list(alternatives)
                + " (if the server supports one)");
    }

    static String list(List<String> items) {
        if (items.size() <= MAX_LISTED) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, MAX_LISTED)) + " and " + (items.size() - MAX_LISTED) + " more";
    }
}
