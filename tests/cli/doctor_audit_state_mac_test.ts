/**
 * The real `thoth doctor` and `thoth health` on a profile whose log a real
 * governed session wrote, with a decision record edited in place, the
 * records after it chained again and the state file rewritten to match (its
 * MAC kept as it was: the one field that takes the device's key). Before,
 * the log's end and the newest records' chain agreed with that state and
 * both passed the log while `thoth audit verify` reported it TAMPERED; now
 * the state's MAC does not verify, and both say so, with the hint to run
 * verify.
 */
import assert from "node:assert/strict";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { encodeLogState } from "../../src/audit/log_state.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { readLines, rechain, stateAsLogGives, writeLines } from "../audit/_log_helpers.ts";
import { copyOfGovernedProfile } from "./_governed_profile.ts";
import { runThoth } from "./_thoth_process.ts";

const POSIX = Deno.build.os !== "windows";

async function thoth(home: string, args: string[]) {
  return await runThoth(args, { env: { HOME: home, THOTH_HOME: home }, cwd: home });
}

/** Edits the decision record, chains the records after it again, and rewrites the state, MAC kept. */
async function editAndRechain(home: string): Promise<void> {
  const dir = auditPaths(home).dir;
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("seg-"))
    .sort();
  assert.equal(names.length, 1, names.join(", "));
  const path = `${dir}/${names[0]}`;
  const lines = await readLines(path);
  const at = lines.findIndex((l) => l.includes('"type":"decision"'));
  assert.ok(at >= 0 && at < lines.length - 2, "a decision record before the last");
  lines[at] = lines[at]!.replace("read_graph", "read_grapH");
  await writeLines(path, await rechain(lines, at));
  const { scanned, read } = await stateAsLogGives(home);
  const mac = read.mac;
  assert.ok(typeof mac === "string", "the state a writer left carries a MAC");
  await Deno.writeFile(
    auditPaths(home).state,
    encodeLogState({
      ...scanned,
      checkpointSize: Math.min(read.checkpointSize, scanned.size),
      checkpointAt: read.checkpointAt,
      ...(read.checkpointRecord === undefined ? {} : { checkpointRecord: read.checkpointRecord }),
      mac,
    }),
  );
}

Deno.test({
  name: "thoth doctor and health fail a log edited and chained again with its state rewritten",
  ignore: !POSIX,
  fn: async () => {
    const home = await copyOfGovernedProfile();
    await editAndRechain(home);
    const verify = await thoth(home, ["audit", "verify"]);
    assert.equal(verify.code, 1, verify.out + verify.err);
    assert.match(verify.out, /state_mac_failed/);

    const doctor = JSON.parse((await thoth(home, ["doctor", "--json"])).out);
    const audit = doctor.checks.find((c: { id: string }) => c.id === "audit");
    assert.equal(audit.status, "fail", JSON.stringify(audit));
    assert.equal(
      audit.message,
      "the audit state's MAC does not verify (an edited state file, or an earlier thoth " +
        "release wrote the log)",
    );
    assert.match(audit.hint, /^run "thoth audit verify"/);

    const health = HealthReportSchema.parse(
      JSON.parse((await thoth(home, ["health", "--json"])).out),
    ).audit;
    assert.equal(health.status, "degraded");
    assert.equal(health.verified, false);
    assert.match(health.message ?? "", /^the audit state's MAC does not verify/);
  },
});
