// `thoth audit export` signs an export statement (export.note) with the
// device's audit signing key: the period asked for, the seq range, the first
// seq and the manifest's SHA-256. A bundle cut at its start, which no anchor
// can show (the start frontier hides the cut records), no longer matches it.
import assert from "node:assert/strict";
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { fromHex, toHex } from "../../src/audit/encoding.ts";
import { formatExportStatement, parseExportStatement } from "../../src/audit/export_statement.ts";
import { formatVerifyReport } from "../../src/audit/format_report.ts";
import { MerkleFrontier } from "../../src/audit/merkle_frontier.ts";
import { leafHash } from "../../src/audit/merkle_hash.ts";
import { openNote, signNote } from "../../src/audit/signed_note.ts";
import { verifyBundle } from "../../src/audit/verify_bundle.ts";
import { isAppError } from "../../src/errors.ts";
import { thothAudit } from "./_audit_cli.ts";
import { exportAnchor, kinds, otherSigner, readLines, sampleLog } from "./_log_helpers.ts";
import {
  asOlderBundle,
  bundleRecords,
  exportSample,
  readManifest,
  rewriteManifest,
} from "./_bundle_helpers.ts";
import { asOlderLog } from "./_older_log.ts";
import { tempFolder } from "../_temp_dirs.ts";

interface Start {
  size: number;
  prev: string;
  frontier: string[];
}

/**
 * Drops a bundle's first `k` records as a forger without any key would: the
 * start recomputed from the bundle's own frontier, the early checkpoint files
 * dropped, and the manifest's range, period and file list rewritten.
 */
async function cutStart(dir: string, k: number): Promise<void> {
  const manifest = await readManifest(dir);
  const start = manifest["start"] as Start;
  const path = bundleRecords(dir);
  const lines = await readLines(path);
  const tree = new MerkleFrontier(start.size, start.frontier.map((h) => fromHex(h)!));
  let prev = start.prev;
  for (const line of lines.slice(0, k)) {
    const leaf = await leafHash(new TextEncoder().encode(line));
    await tree.append(leaf);
    prev = toHex(leaf);
  }
  const cut = { size: start.size + k, prev, frontier: tree.hashes.map(toHex) };
  const first = JSON.parse(lines[k]!);
  await Deno.remove(path);
  await Deno.writeTextFile(
    `${dir}/records/seg-${String(cut.size).padStart(12, "0")}-${first.ts.slice(0, 10)}.jsonl`,
    lines.slice(k).map((l) => l + "\n").join(""),
  );
  for (const entry of [...Deno.readDirSync(`${dir}/checkpoints`)]) {
    if (Number(/cp-(\d+)/.exec(entry.name)![1]) <= cut.size) {
      await Deno.remove(`${dir}/checkpoints/${entry.name}`);
    }
  }
  await rewriteManifest(dir, (m) => {
    m["start"] = cut;
    (m["included"] as { firstSeq: number }).firstSeq = cut.size;
    (m["requested"] as { firstSeq: number }).firstSeq = cut.size;
    (m["period"] as { since: string }).since = first.ts;
  });
}

Deno.test("verify --bundle: a bundle cut at its start is tampering, with or without a genuine anchor", async () => {
  const home = await sampleLog();
  const dir = await exportSample(home);
  const anchorPath = await exportAnchor(home, "2026-03-01T12:00:00Z");
  await cutStart(dir, 13);
  for (const options of [{}, { anchorPath }]) {
    const report = await verifyBundle(dir, options);
    assert.equal(report.exitCode, 1, JSON.stringify(report.findings));
    assert.deepEqual(kinds(report.findings), ["deleted", "modified"]);
    const deleted = report.findings.find((f) => f.kind === "deleted")!;
    assert.deepEqual([deleted.seq, deleted.toSeq, deleted.source], [0, 12, "export.note"]);
    assert.match(deleted.message, /records 0\.\.12 are missing from its start/);
    const modified = report.findings.find((f) => f.kind === "modified")!;
    assert.equal(modified.source, "manifest.json");
    assert.match(modified.message, /start 13 where the export signed .*start 0/);
    assert.equal(report.bundle?.statement?.startSize, 0, "what the export signed");
  }
});

Deno.test("verify --bundle: a bundle's export statement removed is tampering, relabelled as an older format too; a bundle an older thoth wrote without one warns", async () => {
  const home = await sampleLog(2, 4);
  // Records as an older thoth wrote them (no checkpoint frontier): only the
  // README and export.note show the relabelling below, and the last bundle
  // is one an older thoth could have written.
  await asOlderLog(home);
  const dir = await exportSample(home);
  await Deno.remove(`${dir}/export.note`);
  const removed = await verifyBundle(dir);
  assert.equal(removed.exitCode, 1);
  assert.deepEqual(
    removed.findings.filter((f) => f.severity === "tamper").map((f) => [f.kind, f.source]),
    [["deleted", "export.note"]],
  );
  assert.match(removed.notice, /no export statement that verified/);

  // Relabelled as the older format, which carries no statement: its README
  // still describes export.note, so the label was changed, and it is checked
  // as what it was written as.
  await rewriteManifest(dir, (m) => {
    m["format"] = "thoth-audit-bundle/1";
  });
  const relabelled = await verifyBundle(dir);
  assert.equal(relabelled.exitCode, 1, JSON.stringify(relabelled.findings));
  assert.equal(relabelled.status, "tampered");
  assert.deepEqual(
    relabelled.findings.filter((f) => f.severity === "tamper").map((f) => [f.kind, f.source]),
    [["modified", "manifest.json"], ["deleted", "export.note"]],
  );
  assert.match(
    relabelled.findings.find((f) => f.kind === "modified")!.message,
    /labels the bundle "thoth-audit-bundle\/1", .*README\.md was written for a "thoth-audit-bundle\/2" bundle.*its format label was changed/,
  );

  await asOlderBundle(dir);
  const older = await verifyBundle(dir);
  assert.equal(older.exitCode, 2, JSON.stringify(older.findings));
  assert.deepEqual(kinds(older.findings), ["period_unproven"]);
  assert.match(
    older.findings.find((f) => f.kind === "period_unproven")!.message,
    /nothing proves the period it was exported for or where its records start/,
  );
  assert.match(formatVerifyReport(older), /its manifest lists seq 0\.\.\d+ \(unsigned\)/);
  assert.match(older.notice, /nothing proves the period it was exported for/);
  assert.match(older.notice, /no anchor proves where a bundle starts/);
});

Deno.test("verify --bundle: an export statement re-signed with a key the device never endorsed is unknown_key", async () => {
  const home = await sampleLog(2, 4);
  const dir = await exportSample(home);
  const note = await Deno.readTextFile(`${dir}/export.note`);
  const text = note.slice(0, note.lastIndexOf("\n\n") + 1);
  const name = JSON.parse(await Deno.readTextFile(`${home}/keys/audit-signing.key`)).name;
  await Deno.writeTextFile(`${dir}/export.note`, await signNote(text, await otherSigner(name)));
  const report = await verifyBundle(dir);
  assert.equal(report.exitCode, 1);
  assert.deepEqual(
    report.findings.filter((f) => f.severity === "tamper").map((f) => [f.kind, f.source]),
    [["unknown_key", "export.note"]],
  );
  assert.equal(report.bundle?.statement, null);
});

Deno.test("thoth audit export signs what it exported, and says with which key", async () => {
  const home = await sampleLog(3, 6);
  const out = `${home}/q1`;
  const run = await thothAudit(
    home,
    "export",
    "--since",
    "2026-03-01T10:00:20Z",
    "--until",
    "2026-03-01T10:00:40Z",
    "--output",
    out,
  );
  assert.equal(run.code, 0, run.err);
  const key = JSON.parse(await Deno.readTextFile(`${home}/keys/audit-signing.key`));
  assert.match(
    run.out,
    new RegExp(`signed the export statement .* with ${key.name}\\+${key.keyHash}`),
  );
  const note = await Deno.readTextFile(`${out}/export.note`);
  const opened = await openNote(note, [{ name: key.name, publicKey: fromB64(key.publicKey) }]);
  assert.equal(opened?.verified.length, 1, "signed with the device's audit signing key");
  const statement = parseExportStatement(opened!.text)!;
  const manifest = await readManifest(out);
  assert.deepEqual(
    {
      since: statement.since,
      until: statement.until,
      requested: statement.requested,
      included: statement.included,
      startSize: statement.startSize,
    },
    {
      since: "2026-03-01T10:00:20.000Z",
      until: "2026-03-01T10:00:40.999Z",
      requested: manifest["requested"],
      included: manifest["included"],
      startSize: (manifest["start"] as Start).size,
    },
  );
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(`${out}/manifest.json`));
  assert.equal(statement.manifest, toHex(new Uint8Array(digest)));
  const verified = await thothAudit(home, "verify", "--bundle", out);
  assert.equal(verified.code, 0, verified.out);
  assert.match(verified.out, /exported for 2026-03-01T10:00:20\.000Z to 2026-03-01T10:00:40\.999Z/);
});

Deno.test("exportBundle() without the device's signing key exports nothing and says why", async () => {
  const home = await sampleLog(1, 2);
  await Deno.remove(`${home}/keys/audit-signing.key`);
  const parent = await tempFolder("thoth-export-");
  await assert.rejects(
    exportBundle(home, { output: `${parent}/q1`, now: new Date("2026-03-02T00:00:00Z") }),
    (error: unknown) =>
      isAppError(error, "audit.no_signing_key") &&
      /cannot sign the bundle's export statement: there is no audit signing key/.test(
        error.message,
      ) && error.hints.some((h) => /on the device that wrote the log/.test(h)),
  );
  assert.deepEqual([...Deno.readDirSync(parent)], [], "nothing was written");
});

Deno.test("formatExportStatement() and parseExportStatement() round-trip, and a checkpoint is no statement", () => {
  const statement = {
    created: "2026-03-02T00:00:00.000Z",
    since: null,
    until: "2026-03-01T23:59:59.999Z",
    requested: { firstSeq: 3, lastSeq: 40 },
    included: { firstSeq: 3, lastSeq: 45 },
    startSize: 3,
    manifest: "ab".repeat(32),
  };
  const text = formatExportStatement(statement);
  assert.deepEqual(parseExportStatement(text), statement);
  assert.equal(
    parseExportStatement("thoth.local/audit/ab\n12\n" + "A".repeat(43) + "=\n"),
    undefined,
  );
  assert.equal(parseExportStatement(text.replace("included 3 45", "included 45 3")), undefined);
  assert.equal(parseExportStatement(text.replace(/manifest \w+/, "manifest xyz")), undefined);
});

function fromB64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
