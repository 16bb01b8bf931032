/**
 * The real `thoth doctor` on a profile whose log a real governed session
 * wrote: its audit check compares the log's end with the state file and
 * follows the chain of the newest records, and says it is not a full
 * verify. So a decision record edited in place (not the last record, which
 * the state file's leaf hash covers) fails it, as `thoth audit verify`
 * reports the log tampered, where it passed before with "the log's end
 * matches"; a pass shows the hint to run the full check in the text report
 * too; and `doctor --help` does not promise an intact log.
 */
import assert from "node:assert/strict";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { HealthReportSchema } from "../../src/doctor/health_report_schema.ts";
import { copyOfGovernedProfile } from "./_governed_profile.ts";
import { runThoth } from "./_thoth_process.ts";

const POSIX = Deno.build.os !== "windows";

async function thoth(home: string, args: string[]) {
  return await runThoth(args, { env: { HOME: home, THOTH_HOME: home }, cwd: home });
}

/** The audit check's line and the lines under it, up to the next check's. */
function auditCheck(out: string): { line: string; under: string[] } {
  const lines = out.split("\n");
  const at = lines.findIndex((l) => /^. audit /.test(l));
  assert.ok(at >= 0, out);
  const next = lines.findIndex((l, i) => i > at && /^\S/.test(l));
  return { line: lines[at]!, under: lines.slice(at + 1, next < 0 ? undefined : next) };
}

/** Edits the first decision record's tool name in place ("read_graph" → "read_grapH"). */
async function editDecision(home: string): Promise<number> {
  const dir = auditPaths(home).dir;
  const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("seg-"))
    .sort();
  assert.equal(names.length, 1, names.join(", "));
  const path = `${dir}/${names[0]}`;
  const lines = (await Deno.readTextFile(path)).split("\n");
  const at = lines.findIndex((l) => l.includes('"type":"decision"'));
  assert.ok(at >= 0 && at < lines.length - 2, "a decision record before the last");
  assert.ok(lines[at]!.includes("read_graph"), lines[at]);
  lines[at] = lines[at]!.replace("read_graph", "read_grapH");
  await Deno.writeTextFile(path, lines.join("\n"));
  return JSON.parse(lines[at]!).seq;
}

Deno.test({
  name: "thoth doctor fails the audit check on a decision record edited in place, as verify does",
  ignore: !POSIX,
  fn: async () => {
    const home = await copyOfGovernedProfile();
    const seq = await editDecision(home);
    const verify = await thoth(home, ["audit", "verify"]);
    assert.equal(verify.code, 1, verify.out + verify.err);
    assert.match(verify.out, /TAMPERED/);

    const doctor = await thoth(home, ["doctor"]);
    assert.equal(doctor.code, 1, doctor.out);
    const check = auditCheck(doctor.out);
    assert.match(
      check.line,
      new RegExp(
        `^✗ audit +the audit log's newest records do not chain: seq ${seq + 1} \\(in seg-\\S+\\) ` +
          `does not chain to seq ${seq} stored before it .*: seq ${seq} was changed, or records ` +
          "were removed or inserted between them",
      ),
    );
    assert.equal(check.under.length, 1, check.under.join("\n"));
    assert.match(
      check.under[0]!,
      /^ +hint: run "thoth audit verify" to see what was lost or changed$/,
    );

    const health = HealthReportSchema.parse(
      JSON.parse((await thoth(home, ["health", "--json"])).out),
    ).audit;
    assert.equal(health.status, "degraded");
    assert.equal(health.verified, false);
  },
});

Deno.test({
  name: "thoth doctor's audit pass says it is no full verify, and shows how to run one",
  ignore: !POSIX,
  fn: async () => {
    const home = await copyOfGovernedProfile();
    const doctor = await thoth(home, ["doctor"]);
    const check = auditCheck(doctor.out);
    assert.match(
      check.line,
      /^✓ audit +(\d+) record\(s\); last checkpoint covers \d+; the audit state's MAC verifies; the log's end matches its state and its last \1 record\(s\) chain \(not a full verify\)/,
    );
    assert.equal(check.under.length, 1, check.under.join("\n"));
    assert.match(
      check.under[0]!,
      /^ +hint: run "thoth audit verify" for a full check of every record, checkpoint and key$/,
    );
    const json = JSON.parse((await thoth(home, ["doctor", "--json"])).out);
    const audit = json.checks.find((c: { id: string }) => c.id === "audit");
    assert.equal(audit.status, "pass");
    assert.match(audit.hint, /^run "thoth audit verify" for a full check/);

    const help = await thoth(home, ["doctor", "--help"]);
    const helpLines = help.out.split("\n");
    const at = helpLines.findIndex((l) => /^ {2}audit /.test(l));
    const text = helpLines.slice(at, at + 3).join(" ");
    assert.doesNotMatch(text, /intact/);
    assert.match(text, /not a full verify/);
  },
});
