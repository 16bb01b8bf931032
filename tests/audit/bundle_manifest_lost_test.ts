/**
 * A bundle whose manifest.json was deleted or garbled while its export
 * statement (export.note), records and checkpoints are there is tampering
 * (exit 1: `deleted`, `modified`), as a deleted checkpoint or keys file is,
 * not "could not run" (exit 3); a folder with none of a bundle's evidence
 * still cannot run. The real `thoth audit export` and `verify --bundle`
 * under a temp THOTH_HOME.
 */
import assert from "node:assert/strict";
import { runThoth } from "../cli/_thoth_process.ts";
import { sampleLog } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

function thoth(home: string, ...args: string[]) {
  return runThoth(args, { env: { THOTH_HOME: home, HOME: home }, cwd: home });
}

async function exported(home: string, name: string): Promise<string> {
  const bundle = `${home}-${name}`;
  const r = await thoth(home, "audit", "export", "--output", bundle);
  assert.equal(r.code, 0, r.out + r.err);
  return bundle;
}

Deno.test("verify --bundle: a deleted manifest beside export.note is tampering (deleted, exit 1)", async () => {
  const home = await sampleLog(2, 4);
  const bundle = await exported(home, "deleted");
  const digest = (await Deno.readTextFile(`${bundle}/export.note`)).match(
    /^manifest ([0-9a-f]{64})$/m,
  )![1]!;
  await Deno.remove(`${bundle}/manifest.json`);
  const r = await thoth(home, "audit", "verify", "--bundle", bundle);
  assert.equal(r.err, "");
  assert.equal(r.code, 1, r.out);
  const lines = r.out.split("\n");
  assert.match(lines[0]!, /^TAMPERED: the bundle's manifest.json was removed after the export/);
  const finding = lines.find((l) => l.startsWith("  tamper  deleted"));
  assert.match(
    finding ?? r.out,
    /manifest.json is missing, though its export statement \(export.note\)/,
  );
  assert.ok(finding!.includes(digest), finding);

  const json = await thoth(home, "audit", "verify", "--bundle", bundle, "--json");
  assert.equal(json.code, 1, json.out + json.err);
  const report = JSON.parse(json.out);
  assert.equal(report.status, "tampered");
  assert.deepEqual(
    report.findings.map((f: { kind: string; source: string }) => [f.kind, f.source]),
    [["deleted", "manifest.json"]],
  );
});

Deno.test("verify --bundle: a manifest that is not JSON beside the bundle's records is tampering (modified, exit 1)", async () => {
  const home = await sampleLog(2, 4);
  const bundle = await exported(home, "garbled");
  await Deno.remove(`${bundle}/export.note`);
  await Deno.writeTextFile(`${bundle}/manifest.json`, '{"format": "thoth-audit-bun');
  const r = await thoth(home, "audit", "verify", "--bundle", bundle);
  assert.equal(r.err, "");
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^TAMPERED: the bundle's manifest.json was garbled after the export/);
  assert.match(
    r.out,
    /\n {2}tamper {2}modified: bundle file manifest.json is not valid JSON, though its records \(1 file\(s\)\)/,
  );
});

Deno.test("verify --bundle: a folder with no manifest and none of a bundle's evidence still cannot run (exit 3)", async () => {
  const home = await sampleLog(1, 2);
  const empty = await tempFolder("thoth-not-a-bundle-");
  const r = await thoth(home, "audit", "verify", "--bundle", empty);
  assert.equal(r.code, 3, r.out + r.err);
  assert.match(r.err, /cannot read the bundle manifest ".*manifest.json": it does not exist/);
});
