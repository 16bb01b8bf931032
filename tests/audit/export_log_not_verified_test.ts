/**
 * `thoth audit export` signs a bundle only of a log that verifies. With logs
 * real `thoth run` sessions against server-everything wrote: an edited
 * record, or the newest record removed (its checkpoint note still beside the
 * log), is refused (exit 1) with the finding and `thoth audit verify`, and
 * nothing is written; `--with-findings` exports all the same, with the
 * findings in the README and in the signed statement, so `verify --bundle`
 * reports them instead of "intact". Records left out beside a checkpoint note
 * that covers them are never said to be covered by no checkpoint.
 */
import assert from "node:assert/strict";
import { thothAudit } from "./_audit_cli.ts";
import { everythingSessions, logLines } from "./_everything_sessions.ts";

/** A profile of two real sessions; `edit` changes its log's lines. */
async function tamperedHome(edit: (lines: string[]) => string[]): Promise<string> {
  const home = await everythingSessions(2, 3);
  const { path, lines } = await logLines(home);
  await Deno.writeTextFile(path, edit(lines).join("\n") + "\n");
  return home;
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("audit export refuses to sign a log with an edited record, and --with-findings states it in the bundle", async () => {
  let edited = -1;
  const home = await tamperedHome((lines) => {
    edited = lines.findIndex((l) => l.includes('"type":"decision"'));
    lines[edited] = lines[edited]!.replace('"tool":"echo"', '"tool":"get-sum"');
    return lines;
  });
  const out = `${home}/../bundle`;
  const refused = await thothAudit(home, "export", "--output", out);
  assert.equal(refused.code, 1, refused.out);
  assert.equal(refused.out, "");
  assert.match(
    refused.err,
    new RegExp(
      `^thoth: error: the audit log does not verify, so nothing was exported .*modified seq ${edited}`,
    ),
  );
  assert.match(refused.err, /thoth: hint: run "thoth audit verify" to see every finding/);
  assert.match(refused.err, /add --with-findings/);
  assert.equal(await exists(out), false, "nothing was written");

  const anyway = await thothAudit(home, "export", "--with-findings", "--output", out);
  assert.equal(anyway.code, 0, anyway.err);
  assert.match(anyway.err, /thoth: warning: the audit log does not verify \(\d+ findings?\)/);
  const readme = await Deno.readTextFile(`${out}/README.md`);
  assert.match(readme, /^# WARNING: exported from an audit log that did not verify\n/);
  assert.match(readme, new RegExp(`- modified \\(seq ${edited}\\): `));
  assert.match(await Deno.readTextFile(`${out}/export.note`), /\ndevice-findings modified:\d+\n/);

  const verified = await thothAudit(home, "verify", "--bundle", out, "--json");
  assert.equal(verified.code, 1, verified.out);
  const findings = JSON.parse(verified.out).findings as { kind: string; source?: string }[];
  assert.ok(
    findings.some((f) => f.kind === "modified" && f.source === "export.note"),
    verified.out,
  );
});

Deno.test("audit export refuses a log whose newest record was removed, and never says no checkpoint covers what a note does", async () => {
  const home = await tamperedHome((lines) => lines.slice(0, -1));
  const notes = [...Deno.readDirSync(`${home}/audit/checkpoints`)].map((e) => e.name).sort();
  const newest = notes[notes.length - 1]!;
  const out = `${home}/../cut`;
  const refused = await thothAudit(home, "export", "--output", out);
  assert.equal(refused.code, 1, refused.out);
  assert.match(
    refused.err,
    /the audit log does not verify, so nothing was exported .*records_lost/,
  );
  assert.equal(await exists(out), false);

  const anyway = await thothAudit(home, "export", "--with-findings", "--output", out);
  assert.equal(anyway.code, 0, anyway.err);
  assert.doesNotMatch(anyway.err, /no signed checkpoint covers/);
  assert.match(
    anyway.err,
    new RegExp(
      `left out the \\d+ newest records \\(seq \\d+\\.\\.\\d+\\): the signed checkpoint note ${newest} covers them, but the log holds no checkpoint record for it`,
    ),
  );
  const verified = await thothAudit(home, "verify", "--bundle", out);
  assert.equal(verified.code, 1, verified.out);
  assert.doesNotMatch(verified.out, /^OK/);
  assert.match(
    verified.out,
    /tamper {2}records_lost: the device's audit log did not verify when this bundle was exported/,
  );
});

Deno.test("audit export of an intact log from real sessions signs it as before, with no findings stated", async () => {
  const home = await everythingSessions(1, 2);
  const out = `${home}/../intact`;
  const r = await thothAudit(home, "export", "--output", out);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  assert.doesNotMatch(await Deno.readTextFile(`${out}/export.note`), /device-findings/);
  assert.doesNotMatch(await Deno.readTextFile(`${out}/README.md`), /WARNING/);
  assert.equal((await thothAudit(home, "verify", "--bundle", out)).code, 0);
});
