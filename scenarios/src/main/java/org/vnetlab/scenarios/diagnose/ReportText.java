package org.vnetlab.scenarios.diagnose;

import org.vnetlab.scenarios.run.Transcript;

/** The report for people: one block per probe, then findings, then assumptions. */
public final class ReportText {
    private ReportText() {}

    public static String write(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Probes\n");
        for (ProbeResult p : r.probes()) {
            sb.append(p.isHealthy() ? Transcript.PASS : Transcript.FAIL).append(' ')
                    .append(String.format("%-20s %s", p.id().id(), p.outcome().word()));
            p.icmp().ifPresent(i -> sb.append(" (ICMP type ").append(i.type()).append(" code ").append(i.code())
                    .append(" from ").append(i.from()).append(')'));
            if (!p.isHealthy()) {
                sb.append("   healthy: ");
                sb.append(String.join(" or ", p.healthy().stream().sorted().map(Outcome::word).toList()));
            }
            sb.append('\n');
            if (!p.detail().isEmpty()) sb.append("    ").append(p.detail()).append('\n');
            p.decisive().ifPresent(d -> sb.append("    decided by ").append(d.describe()).append('\n'));
            if (!p.meaning().isEmpty()) sb.append("    ").append(p.meaning()).append('\n');
        }
        sb.append("\nFindings\n");
        if (r.findings().isEmpty()) sb.append("  none\n");
        for (Finding f : r.findings()) {
            sb.append("  ").append(f.severity().word()).append(": ").append(f.text());
            if (!f.where().isEmpty()) sb.append(" (").append(f.where()).append(')');
            sb.append('\n');
        }
        sb.append("\nAssumed (the dump did not show it)\n");
        if (r.assumptions().isEmpty()) sb.append("  nothing\n");
        for (String a : r.assumptions()) sb.append("  - ").append(a).append('\n');
        sb.append('\n').append(r.healthy() ? "Every probe behaved as a healthy network would." : "Some probes did not behave as a healthy network would.").append('\n');
        return sb.toString();
    }
}
