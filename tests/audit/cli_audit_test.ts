import assert from "node:assert/strict";
import { fromHex } from "../../src/audit/encoding.ts";
import { verifyInclusion } from "../../src/audit/merkle_verify.ts";
import { fromBase64 } from "../../src/audit/encoding.ts";
import { readLines, sampleLog, segmentPath, writeLines } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";

Deno.test("thoth audit verify exits 0 on a clean log and says truncation needs an anchor", async () => {
  const home = await sampleLog();
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^OK: the audit log is intact/);
  assert.match(r.out, /only detectable against a checkpoint exported off this device/);
  const json = await thothAudit(home, "verify", "--json");
  assert.equal(JSON.parse(json.out).status, "clean");
});

Deno.test("thoth audit verify exits 1 and names the seq when a record was deleted", async () => {
  const home = await sampleLog();
  const path = await segmentPath(home);
  const lines = await readLines(path);
  lines.splice(5, 1);
  await writeLines(path, lines);
  const r = await thothAudit(home, "verify");
  assert.equal(r.code, 1);
  assert.match(r.out, /TAMPERED/);
  assert.match(r.out, /deleted seq 5: record 5 is missing/);
});

Deno.test("thoth audit verify exits 3 when it cannot run", async () => {
  const home = await sampleLog(1, 2);
  const r = await thothAudit(home, "verify", "--anchor", `${home}/missing.note`);
  assert.equal(r.code, 3);
  assert.match(r.err, /^thoth: error: cannot read the anchor checkpoint/);
  assert.match(r.err, /thoth: hint: export one with/);
});

Deno.test("thoth audit verify exits 3, naming the file and the fault, when the anchor is not a checkpoint note", async () => {
  const home = await sampleLog(1, 2);
  const good = `${home}/good.note`;
  assert.equal((await thothAudit(home, "checkpoint", "--export", good)).code, 0);
  const note = await Deno.readTextFile(good);
  const cases: [string, RegExp][] = [
    ["garbage\n", /no blank line between the checkpoint and its signatures/],
    ["", /it is empty/],
    [note.replaceAll("\n", "\r\n"), /carriage returns/],
    [note.replace(/\n— .*\n$/, "\n— key\n"), /signature line 1 "— key" is not/],
    [
      note.replace(/^([^\n]*\n)\d+\n/, "$1ten\n"),
      /the text above its signatures is not a checkpoint/,
    ],
  ];
  for (const [text, why] of cases) {
    const path = `${home}/g.txt`;
    await Deno.writeTextFile(path, text);
    const r = await thothAudit(home, "verify", "--anchor", path);
    assert.equal(r.code, 3, `${JSON.stringify(text)}: ${r.out}`);
    assert.equal(r.out, "");
    assert.match(r.err, /^thoth: error: the anchor ".*\/g\.txt" is not a signed checkpoint note: /);
    assert.match(r.err, why);
    assert.match(
      r.err,
      /thoth: hint: pass a file written by "thoth audit checkpoint --export FILE"/,
    );
  }
});

Deno.test("thoth audit checkpoint --export writes an anchor that verify --anchor accepts", async () => {
  const home = await sampleLog(1, 3);
  const file = `${home}/anchor.note`;
  const r = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(r.code, 0, r.err);
  assert.match(await Deno.readTextFile(file), /^thoth\.local\/audit\/[0-9a-f]{16}\n\d+\n/);
  const v = await thothAudit(home, "verify", "--anchor", file);
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, /anchor at size \d+ verified/);
});

Deno.test("thoth audit show prints a table, filters, and JSON lines", async () => {
  const home = await sampleLog(2, 4);
  const table = await thothAudit(home, "show", "--decision", "step_up");
  assert.equal(table.code, 0, table.err);
  const rows = table.out.trim().split("\n");
  assert.match(
    rows[0]!,
    /^TIME \(UTC\)\s+SEQ\s+TYPE\s+DECISION\s+SERVER\s+TOOL\s+VERDICT\s+EFFECT\s+RULE\s+MODE\s+DETAIL$/,
  );
  assert.equal(rows.length, 3);
  // The sample log's decisions record no effect, as a release before effects wrote them: —.
  assert.match(
    rows[1]!,
    /decision\s+d-0-2\s+fs\s+read_file\s+step_up\s+—\s+fs-outside-data\s+step_up\s+ana \(approved, terminal\)/,
  );
  const json = await thothAudit(home, "show", "--json", "--server", "memory");
  const records = json.out.trim().split("\n").map((l) => JSON.parse(l));
  assert.ok(records.length > 0);
  assert.ok(records.every((r) => r.server === "memory" || r.session === "s-1"));
  // A decision that recorded no effect matches no --effect.
  const noEffect = await thothAudit(home, "show", "--json", "--effect", "forwarded");
  assert.equal(noEffect.code, 0, noEffect.err);
  assert.equal(noEffect.out, "");
  const none = await thothAudit(home, "show", "--json", "--since", "2099-01-01");
  assert.equal(none.out, "");
  const bad = await thothAudit(home, "show", "--since", "yesterday");
  assert.equal(bad.code, 2);
  assert.match(bad.err, /cannot read the time "yesterday"/);
});

Deno.test("thoth audit tail prints the newest records", async () => {
  const home = await sampleLog(1, 3);
  const r = await thothAudit(home, "tail", "-n", "2", "--json");
  const lines = r.out.trim().split("\n");
  assert.equal(lines.length, 2);
  assert.equal(JSON.parse(lines[1]!).type, "checkpoint");
  // A damaged line stays one JSON line, so a script reading the output never breaks.
  const path = await segmentPath(home, -1);
  const all = await readLines(path);
  await writeLines(path, [...all.slice(0, -1), "garbage \u001b[31m{", all.at(-1)!]);
  const damaged = await thothAudit(home, "tail", "-n", "2", "--json");
  const [first, second] = damaged.out.trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(first, { type: "unreadable_line", text: "garbage \u001b[31m{" });
  assert.equal(second.type, "checkpoint");
});

Deno.test("thoth audit prove --seq prints a record with an inclusion proof that checks", async () => {
  const home = await sampleLog(1, 4);
  const r = await thothAudit(home, "prove", "--seq", "3");
  assert.equal(r.code, 0, r.err);
  const proof = JSON.parse(r.out);
  assert.equal(JSON.parse(proof.record).seq, 3);
  const ok = await verifyInclusion(
    fromHex(proof.leafHash)!,
    3,
    proof.treeSize,
    proof.proof.map((h: string) => fromHex(h)!),
    fromBase64(proof.rootHash)!,
  );
  assert.ok(ok);
  assert.ok(proof.checkpoint.includes(`\n${proof.treeSize}\n${proof.rootHash}\n`));
  const missing = await thothAudit(home, "prove", "--seq", "9999");
  assert.equal(missing.code, 1);
});

Deno.test("thoth audit export writes a bundle that verify --bundle checks, and catches edits", async () => {
  const home = await sampleLog(3, 6);
  const out = `${home}/bundle`;
  const r = await thothAudit(
    home,
    "export",
    "--since",
    "2026-03-01T10:00:30Z",
    "--until",
    "2026-03-01T10:00:50Z",
    "--output",
    out,
  );
  assert.equal(r.code, 0, r.err);
  const manifest = JSON.parse(await Deno.readTextFile(`${out}/manifest.json`));
  assert.ok(manifest.start.size > 0, "the bundle starts mid-log");
  assert.match(await Deno.readTextFile(`${out}/README.md`), /164\.312\(b\)/);
  const v = await thothAudit(home, "verify", "--bundle", out, "--json");
  const report = JSON.parse(v.out);
  assert.deepEqual(
    report.findings.filter((f: { severity: string }) => f.severity === "tamper"),
    [],
  );
  assert.ok(report.checkpoints.verified >= 1);
  const recordsFile =
    manifest.files.find((f: { path: string }) => f.path.startsWith("records/")).path;
  const lines = await readLines(`${out}/${recordsFile}`);
  lines[1] = lines[1]!.replace('"v":1', '"v":1,"x":1');
  await writeLines(`${out}/${recordsFile}`, lines);
  const tampered = await thothAudit(home, "verify", "--bundle", out);
  assert.equal(tampered.code, 1);
  assert.match(tampered.out, /does not match its manifest hash/);
});
