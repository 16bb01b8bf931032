// What `verify` says for each way a log can fail: its own status per
// verdict (RECORDS LOST, NO LOG, TAMPERED), a log emptied to 0 bytes as
// records lost, no inverted seq range, no "newest 0 records", and a state
// file that is a FIFO as the warning state_lost, never opened.
import assert from "node:assert/strict";
import { verifyLocalLog } from "../../src/audit/verify_log.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { deviceSigner } from "./_bundle_helpers.ts";
import {
  exportAnchor,
  forgeState,
  kinds,
  readLines,
  rechain,
  sampleLog,
  segmentPath,
  writeLines,
} from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { HAS_FIFO, replaceWithFifo, settlesAtOnce } from "../platform/_fifo.ts";

Deno.test("verify: a segment emptied to 0 bytes beside a state file that counted records is records lost", async () => {
  const home = await sampleLog(1, 2);
  await Deno.writeFile(await segmentPath(home), new Uint8Array());
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^RECORDS LOST: the state file counts \d+ records, the log holds 0\n/);
  const json = JSON.parse((await thothAudit(home, "verify", "--json")).out);
  assert.equal(json.status, "records_lost");
  assert.equal(json.exitCode, 1);
});

Deno.test("verify --json: a changed record is status tampered, a clean log clean", async () => {
  const home = await sampleLog(1, 4);
  assert.equal((await verifyLocalLog(home)).status, "clean");
  const path = await segmentPath(home);
  const lines = await readLines(path);
  lines[2] = lines[2]!.replace(/"session":"s-0"/, '"session":"s-9"');
  await writeLines(path, lines);
  const report = await verifyLocalLog(home);
  assert.equal(report.exitCode, 1);
  assert.equal(report.status, "tampered");
  assert.match(formatVerifyReport(report), /^TAMPERED: /);
});

Deno.test("verify --anchor: a re-signed history is a fork over every record up to the anchor, never an inverted range", async () => {
  const home = await sampleLog();
  const anchorPath = await exportAnchor(home, "2026-03-01T12:00:00Z");
  const anchorSize = Number((await Deno.readTextFile(anchorPath)).split("\n")[1]);
  const path = await segmentPath(home);
  const lines = await readLines(path);
  const i = lines.findIndex((l, n) => n > lines.length / 2 && /"session":"s-\d"/.test(l));
  lines[i] = lines[i]!.replace(/"session":"s-(\d)"/, '"session":"s-$1x"');
  await writeLines(path, await rechain(lines, i, { resign: await deviceSigner(home), home }));
  await forgeState(home);
  const report = await verifyLocalLog(home, { anchorPath });
  const fork = report.findings.find((f) => f.kind === "fork" && f.toSeq !== undefined);
  assert.ok(fork !== undefined, JSON.stringify(report.findings));
  assert.deepEqual([fork.seq, fork.toSeq], [0, anchorSize - 1]);
  for (const f of report.findings) {
    if (f.toSeq !== undefined) assert.ok(f.toSeq > f.seq!, JSON.stringify(f));
  }
  const text = formatVerifyReport(report);
  for (const [, a, b] of text.matchAll(/seq (\d+)\.\.(\d+)/g)) {
    assert.ok(Number(b) > Number(a), text);
  }
});

Deno.test("verify: a cut to the last checkpoint never speaks of the newest 0 records", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home, -1);
  const lines = await readLines(path);
  const size = lines.map((l) => JSON.parse(l)).filter((r) => r.type === "checkpoint").at(-1).size;
  await writeLines(path, lines.slice(0, size));
  const report = await verifyLocalLog(home);
  assert.equal(report.unanchoredTail.records, 0);
  assert.equal(report.status, "records_lost");
  const text = formatVerifyReport(report);
  assert.doesNotMatch(text, /newest 0 record/);
  assert.match(report.notice, /a checkpoint on this device covers every record, but an attacker/);
});

Deno.test({
  name:
    "verify: a state file that is a FIFO is the warning state_lost (not a regular file), not exit 3",
  ignore: !HAS_FIFO,
  fn: async () => {
    const home = await sampleLog(1, 4);
    const state = `${home}/audit/.state.json`;
    await replaceWithFifo(state);
    const r = await settlesAtOnce(() => thothAudit(home, "verify"), state);
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.out, /^STATE LOST: /);
    assert.match(
      r.out,
      /warning state_lost: the writer's state file is unreadable \(it is not a regular file\)/,
    );
    const report = await settlesAtOnce(() => verifyLocalLog(home), state);
    assert.deepEqual(kinds(report.findings), ["state_lost"]);
    assert.equal(report.status, "warnings");
  },
});
