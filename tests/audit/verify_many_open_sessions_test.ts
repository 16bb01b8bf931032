/**
 * A log of 200,000 sessions that never ended (a machine where sessions were
 * killed over months) has a finding per session: the real `thoth audit
 * verify` reports them (exit 2) instead of failing with "Maximum call stack
 * size exceeded" (exit 3, where the findings were spread as 200,000
 * arguments of one call), prints 20 of them and one line saying how many
 * more and between which seqs, and `--json` lists every one. `thoth audit
 * export` of that log (which verifies it first) and `verify --bundle` of
 * the bundle work too. Before the fix each failed from about 130,000.
 */
import assert from "node:assert/strict";
import { openAuditLog } from "../../src/audit/audit_log.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { FINDINGS_SHOWN_PER_KIND } from "../../src/audit/finding_lines.ts";
import { runThoth } from "../cli/_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";

const SESSIONS = 200_000;
/** Records per appendMany: one lock, one write, one state per batch. */
const BATCH = 5_000;
const TIMEOUT_MS = 240_000;

/** A profile whose log holds `SESSIONS` session_start records (and the writer's checkpoints), no end. */
async function openSessionsHome(): Promise<string> {
  const home = await tempFolder("thoth-open-sessions-");
  const log = await openAuditLog({
    thothHome: home,
    checkpointEvery: 1_000_000,
    checkpointIntervalMs: 3_600_000,
  });
  try {
    for (let first = 0; first < SESSIONS; first += BATCH) {
      const batch: AuditEvent[] = [];
      for (let i = first; i < Math.min(first + BATCH, SESSIONS); i++) {
        batch.push({
          type: "session_start",
          session: `s-${i}`,
          server: "fs",
          commandDigest: "ab".repeat(32),
          envKeys: [],
        });
      }
      await log.appendMany(batch);
    }
  } finally {
    await log.close();
  }
  return home;
}

let built: Promise<string> | undefined;
const sharedHome = () => built ??= openSessionsHome();

function thoth(home: string, ...args: string[]) {
  return runThoth(args, {
    env: { THOTH_HOME: home, HOME: home },
    cwd: home,
    timeoutMs: TIMEOUT_MS,
  });
}

const rest = SESSIONS - FINDINGS_SHOWN_PER_KIND;

Deno.test("audit verify: 200,000 sessions without an end are warnings (exit 2), 20 printed and the rest counted", async () => {
  const home = await sharedHome();
  const run = await thoth(home, "audit", "verify");
  assert.equal(run.err, "");
  assert.equal(run.code, 2, run.out.slice(0, 2000));
  const lines = run.out.split("\n");
  assert.equal(lines[0], "OK with warnings: nothing was changed, but some records need a look");
  const open = lines.filter((line) => line.startsWith("  warning session_without_end"));
  assert.equal(open.length, FINDINGS_SHOWN_PER_KIND + 1, open.slice(-3).join("\n"));
  assert.match(open[0]!, /^ {2}warning session_without_end seq 0: session s-0 has no session end/);
  // The writer's checkpoint records lie among the starts: the last start is past seq SESSIONS - 1.
  const summary = new RegExp(
    `^  warning session_without_end: and ${rest} more of this kind, from seq ` +
      `${FINDINGS_SHOWN_PER_KIND} to seq (\\d+) \\(not printed; --json lists every finding\\)$`,
  ).exec(open.at(-1)!);
  assert.ok(summary !== null, open.at(-1));
  assert.ok(Number(summary[1]) >= SESSIONS - 1, summary[1]);
  assert.ok(lines.length < 40, `${lines.length} lines`);
});

Deno.test("audit verify --json: 200,000 sessions without an end are listed, every one (exit 2)", async () => {
  const home = await sharedHome();
  const run = await thoth(home, "audit", "verify", "--json");
  assert.equal(run.err, "");
  assert.equal(run.code, 2, run.out.slice(0, 2000));
  const report = JSON.parse(run.out) as {
    exitCode: number;
    findings: { kind: string; severity: string; seq: number; message: string }[];
  };
  assert.equal(report.exitCode, 2);
  const open = report.findings.filter((f) => f.kind === "session_without_end");
  assert.equal(open.length, SESSIONS);
  assert.ok(open.every((f) => f.severity === "warning"));
  // Each session once, s-0 to s-199999.
  const named = new Set(open.map((f) => /^session (s-\d+) /.exec(f.message)?.[1]));
  assert.equal(named.size, SESSIONS);
  assert.ok(named.has("s-0") && named.has(`s-${SESSIONS - 1}`));
});

Deno.test("audit export and verify --bundle: a log of 200,000 sessions without an end", async () => {
  const home = await sharedHome();
  const bundle = `${await tempFolder("thoth-open-sessions-bundle-")}/bundle`;
  const exported = await thoth(home, "audit", "export", "--output", bundle);
  assert.equal(exported.code, 0, exported.err);
  const run = await thoth(home, "audit", "verify", "--bundle", bundle);
  assert.equal(run.err, "");
  // Open at a bundle's end is a fact, not a warning: the end may lie after it.
  assert.equal(run.code, 0, run.out.slice(0, 2000));
  const open = run.out.split("\n").filter((line) =>
    line.startsWith("  info    session_without_end")
  );
  assert.equal(open.length, FINDINGS_SHOWN_PER_KIND + 1);
  assert.match(
    open.at(-1)!,
    new RegExp(`: and ${rest} more of this kind, from seq ${FINDINGS_SHOWN_PER_KIND} to seq `),
  );
});
