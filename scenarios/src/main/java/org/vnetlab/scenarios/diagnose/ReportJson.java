package org.vnetlab.scenarios.diagnose;

import org.vnetlab.scenarios.expect.Observation;

/**
 * The report as JSON (schema in docs/cli.md):
 * <pre>
 * {"probes":[{"id","outcome","icmp":{"type","code","from"}?,"decisive":{"hook","table","chain","rule","handle"?,"target","text"}?,
 *             "detail","meaning","healthy","expected":[outcomes]}],
 *  "findings":[{"id","severity","where","text"}],
 *  "assumptions":[text]}
 * </pre>
 * Optional members are left out when absent, never written as null.
 */
public final class ReportJson {
    private ReportJson() {}

    public static String write(Report r) {
        Json j = new Json().beginObject().name("probes").beginArray();
        for (ProbeResult p : r.probes()) {
            j.newline().beginObject();
            j.name("id").value(p.id().id());
            j.name("outcome").value(p.outcome().word());
            if (p.icmp().isPresent()) {
                Observation.Icmp i = p.icmp().get();
                j.name("icmp").beginObject().name("type").value(i.type()).name("code").value(i.code())
                        .name("from").value(i.from().toString()).endObject();
            }
            if (p.decisive().isPresent()) {
                Decisive d = p.decisive().get();
                j.name("decisive").beginObject().name("hook").value(d.hook()).name("table").value(d.table())
                        .name("chain").value(d.chain()).name("rule").value(d.rule());
                if (d.handle().isPresent()) j.name("handle").value(d.handle().getAsLong());
                j.name("target").value(d.target()).name("text").value(d.text()).endObject();
            }
            j.name("detail").value(p.detail());
            j.name("meaning").value(p.meaning());
            j.name("healthy").value(p.isHealthy());
            j.name("expected").beginArray();
            for (Outcome o : Outcome.values()) if (p.healthy().contains(o)) j.value(o.word());
            j.endArray();
            j.endObject();
        }
        j.endArray().name("findings").beginArray();
        for (Finding f : r.findings()) {
            j.newline().beginObject().name("id").value(f.id()).name("severity").value(f.severity().word())
                    .name("where").value(f.where()).name("text").value(f.text()).endObject();
        }
        j.endArray().name("assumptions").beginArray();
        for (String a : r.assumptions()) j.newline().value(a);
        j.endArray().endObject();
        return j + "\n";
    }
}
