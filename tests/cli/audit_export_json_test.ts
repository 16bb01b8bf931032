/**
 * `thoth audit export --json` and `thoth audit prove --json`, as a script
 * that exports evidence on a schedule runs them (the real CLI, in its own
 * process): one JSON document on stdout on success (where the bundle is,
 * the period as read, its records, files and hashes, the signed statement,
 * the findings it carries with --with-findings) and the CLI's error document
 * on failure; a period that holds no record still exits 1 with
 * `audit.empty_range`, and both the text and the document name the period as
 * read (UTC) and the times of the log's records.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { readLines, sampleLog, segmentPath, writeLines } from "../audit/_log_helpers.ts";
import { toHex } from "../../src/audit/encoding.ts";

/** `thoth audit ARGS` against the profile `home`. */
function audit(home: string, ...args: string[]) {
  return runThoth(["audit", ...args], { env: { THOTH_HOME: home, HOME: home }, cwd: home });
}

async function sha256(path: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(path))));
}

Deno.test("audit export --json prints one document naming the bundle, its period, records, files and hashes", async () => {
  const home = await sampleLog(2, 4); // stamped 2026-03-01, 10:00:01 UTC on, one a second
  const out = `${home}/day`;
  const r = await audit(
    home,
    "export",
    "--since",
    "2026-03-01",
    "--until",
    "2026-03-01",
    "--output",
    out,
    "--json",
  );
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out); // the whole of stdout is the one document
  assert.equal(doc.ok, true);
  assert.equal(doc.output, out);
  assert.equal(doc.since, "2026-03-01T00:00:00.000Z");
  assert.equal(doc.until, "2026-03-01T23:59:59.999Z");
  const [segment] = [...Deno.readDirSync(`${out}/records`)];
  const records = (await Deno.readTextFile(`${out}/records/${segment!.name}`)).trim().split("\n");
  assert.equal(doc.records, records.length);
  assert.deepEqual(doc.seq, { first: 0, last: records.length - 1 });
  assert.equal(doc.statement, `${out}/export.note`);
  assert.match(
    await Deno.readTextFile(doc.statement),
    new RegExp(`\nmanifest ${doc.manifestSha256}\n`),
  );
  assert.equal(doc.manifestSha256, await sha256(`${out}/manifest.json`));
  const paths = (doc.files as { path: string }[]).map((f) => f.path);
  assert.ok(paths.includes("manifest.json") && paths.includes("export.note"), r.out);
  for (const file of doc.files as { path: string; sha256: string; bytes: number }[]) {
    assert.equal(file.sha256, await sha256(`${out}/${file.path}`), file.path);
    assert.equal(file.bytes, (await Deno.stat(`${out}/${file.path}`)).size, file.path);
  }
  assert.equal(doc.findings, undefined, "a log that verifies carries no findings");
  assert.equal((await audit(home, "verify", "--bundle", out)).code, 0);
});

Deno.test("audit export --json --with-findings carries the findings of a log that does not verify", async () => {
  const home = await sampleLog(1, 4);
  const path = await segmentPath(home, 0);
  const lines = await readLines(path);
  const edited = lines.findIndex((l) => l.includes('"type":"decision"'));
  lines[edited] = lines[edited]!.replace('"tool":"read_file"', '"tool":"send_file"');
  await writeLines(path, lines);
  const refused = await audit(home, "export", "--output", `${home}/no`, "--json");
  assert.equal(refused.code, 1, refused.err);
  assert.equal(JSON.parse(refused.out).error.code, "audit.log_not_verified");
  const r = await audit(home, "export", "--with-findings", "--output", `${home}/b`, "--json");
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.ok, true);
  assert.ok(
    (doc.findings as { kind: string; seq?: number }[]).some((f) => f.kind === "modified"),
    r.out,
  );
});

Deno.test("audit export of an empty period exits 1 with audit.empty_range, naming the period as read and the log's times", async () => {
  const home = await sampleLog(1, 2);
  const lines = (await readLines(await segmentPath(home, 0))).map((l) => JSON.parse(l));
  const first = lines[0].ts as string;
  const last = lines.at(-1).ts as string;
  const text = await audit(home, "export", "--since", "2026-03-02", "--output", `${home}/none`);
  assert.equal(text.code, 1, text.err);
  assert.equal(text.out, "");
  assert.match(
    text.err,
    new RegExp(
      `^thoth: error: no audit records fall in the period from 2026-03-02T00:00:00\\.000Z on \\(UTC, as read\\): ` +
        `the log's ${lines.length} records run from ${first} to ${last} \\(UTC\\)\n`,
    ),
  );
  assert.match(text.err, /thoth: hint: widen --since or --until to reach the records/);

  const r = await audit(
    home,
    "export",
    "--since",
    "2026-02-01",
    "--until",
    "2026-02-28T12:00",
    "--output",
    `${home}/none`,
    "--json",
  );
  assert.equal(r.code, 1, r.err);
  assert.equal(r.out.trim().split("\n").length, 1, r.out);
  const doc = JSON.parse(r.out);
  assert.equal(doc.ok, false);
  assert.equal(doc.error.code, "audit.empty_range");
  assert.equal(doc.error.exitCode, 1);
  assert.match(doc.error.message, /2026-02-01T00:00:00\.000Z to 2026-02-28T12:00:59\.999Z/);
  assert.deepEqual(doc.period, {
    since: "2026-02-01T00:00:00.000Z",
    until: "2026-02-28T12:00:59.999Z",
  });
  assert.deepEqual(doc.log, { records: lines.length, first, last });
  await assert.rejects(Deno.lstat(`${home}/none`), Deno.errors.NotFound);
});

Deno.test("audit export --json reports a refused command line as the error document, and --help names --json and the exit codes", async () => {
  const home = await sampleLog(1, 2);
  const r = await audit(home, "export", "--until", "2026-02-31", "--output", `${home}/x`, "--json");
  assert.equal(r.code, 2, r.err);
  assert.equal(JSON.parse(r.out).error.code, "usage.bad_time");
  const help = await audit(home, "export", "--help");
  assert.match(help.out, /--json +print the result as one JSON document/);
  assert.match(help.out, /Exit codes: 0 exported; 1 nothing exported: no record in the period/);
  assert.match(help.out, /\(audit\.empty_range: /);
});

Deno.test("audit prove --seq N --json prints the proof, and a failure as the error document", async () => {
  const home = await sampleLog(1, 4);
  const r = await audit(home, "prove", "--seq", "2", "--json");
  assert.equal(r.code, 0, r.err);
  const proof = JSON.parse(r.out);
  assert.equal(proof.seq, 2);
  assert.match(proof.leafHash, /^[0-9a-f]{64}$/);
  assert.ok(proof.treeSize > 2);
  assert.equal(typeof proof.rootHash, "string");
  assert.ok(Array.isArray(proof.proof) && proof.proof.length > 0);
  assert.match(proof.checkpoint, /\n\n— /);
  const missing = await audit(home, "prove", "--seq", "9999", "--json");
  assert.equal(missing.code, 1, missing.err);
  assert.equal(JSON.parse(missing.out).error.code, "audit.no_record");
  assert.match((await audit(home, "prove", "--help")).out, /--json/);
});
