/**
 * An anchor carries the key that signed it, and under `verify --anchor` that
 * key is the root of trust. With logs real `thoth run` sessions against
 * server-everything wrote: `checkpoint --export` writes the key into the
 * anchor; the device's own log verifies against it; a whole other profile
 * (its log and its keys) verified against it is "not the anchor's", never an
 * anchor signed by an untrusted key; and an anchor without the key (an older
 * thoth's, or a checkpoint note copied by hand) is read as before.
 */
import assert from "node:assert/strict";
import { thothAudit } from "./_audit_cli.ts";
import { everythingSessions } from "./_everything_sessions.ts";
import { anchorKeyOf } from "../../src/audit/anchor_key.ts";

/** A profile of one real session and the anchor `checkpoint --export` wrote for it. */
async function anchored(): Promise<{ home: string; anchor: string }> {
  const home = await everythingSessions(1, 2);
  const anchor = `${home}/../anchor.note`;
  const r = await thothAudit(home, "checkpoint", "--export", anchor);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  return { home, anchor };
}

Deno.test("checkpoint --export writes the device's verifier key into the anchor, and the log verifies against it", async () => {
  const { home, anchor } = await anchored();
  const note = await Deno.readTextFile(anchor);
  const keys = JSON.parse(await Deno.readTextFile(`${home}/keys/audit-signing-keys.json`));
  const listed = JSON.stringify(keys);
  const key = anchorKeyOf(note);
  assert.ok(key !== undefined, note);
  assert.ok(listed.includes(key), `${key} is the device's key`);
  const r = await thothAudit(home, "verify", "--anchor", anchor);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /anchor at size \d+ verified/);
  assert.match(r.out, /which signed the anchor/);

  // Exported again: the same checkpoint, kept as it is.
  const again = await thothAudit(home, "checkpoint", "--export", anchor);
  assert.match(again.out, /holds the checkpoint at size \d+ already/);
});

Deno.test("verify --anchor of another profile's log and keys says they are not the anchor's, not that the anchor is untrusted", async () => {
  const { anchor } = await anchored();
  const other = await everythingSessions(1, 2);
  const r = await thothAudit(other, "verify", "--anchor", anchor, "--json");
  assert.equal(r.code, 1, r.out);
  const report = JSON.parse(r.out);
  const findings = report.findings as { severity: string; source?: string; message: string }[];
  assert.ok(
    findings.some((f) =>
      f.severity === "tamper" && /^this log and its keys are not the anchor's: /.test(f.message)
    ),
    r.out,
  );
  assert.ok(
    !findings.some((f) => /\(anchor [^)]*\) is signed only by untrusted key/.test(f.message)),
    "the anchor is the root, not an untrusted note",
  );
  assert.equal(report.trust.by, "anchor");
});

Deno.test("verify --anchor reads an anchor without its key (a checkpoint note copied by hand) as before", async () => {
  const home = await everythingSessions(1, 2);
  const notes = [...Deno.readDirSync(`${home}/audit/checkpoints`)].map((e) => e.name).sort();
  const copied = `${home}/../copied.note`;
  await Deno.copyFile(`${home}/audit/checkpoints/${notes[notes.length - 1]}`, copied);
  assert.equal(anchorKeyOf(await Deno.readTextFile(copied)), undefined);
  const r = await thothAudit(home, "verify", "--anchor", copied);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /anchor at size \d+ verified/);

  // Exporting to it now gives the same checkpoint with its key.
  const exported = await thothAudit(home, "checkpoint", "--export", copied);
  assert.equal(exported.code, 0, exported.err);
  assert.ok(anchorKeyOf(await Deno.readTextFile(copied)) !== undefined);
});
