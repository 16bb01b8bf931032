/**
 * `thoth audit checkpoint --export FILE` never trades an anchor for an older
 * checkpoint (the device's newest notes deleted), nor for another log's:
 * the file is kept and the refusal says why. An anchor holding the same
 * checkpoint is "held already".
 */
import assert from "node:assert/strict";
import { appendAsNextWriter, otherSigner, sampleLog } from "./_log_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { formatCheckpoint, parseCheckpoint } from "../../src/audit/checkpoint.ts";
import { signNote } from "../../src/audit/signed_note.ts";
import { HAS_FIFO } from "../platform/_fifo.ts";
import { exportedAnchor, exportToFifo } from "./_checkpoint_export.ts";

function newestNote(home: string): string {
  const names = [...Deno.readDirSync(`${home}/audit/checkpoints`)].map((e) => e.name)
    .filter((n) => n.startsWith("cp-")).sort();
  return `${home}/audit/checkpoints/${names.at(-1)!}`;
}

Deno.test("checkpoint --export keeps an anchor later than the device's newest checkpoint", async () => {
  const { home, file } = await exportedAnchor();
  const before = await Deno.readTextFile(file);
  const oldSize = parseCheckpoint(before.slice(0, before.indexOf("\n\n") + 1))!.size;
  await appendAsNextWriter(home);
  const later = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(later.code, 0, later.err);
  const anchor = await Deno.readTextFile(file);
  const size = parseCheckpoint(anchor.slice(0, anchor.indexOf("\n\n") + 1))!.size;
  assert.ok(size > oldSize, "the anchor moved on");

  // The newest notes are deleted: the device's newest is the older one.
  for (;;) {
    const path = newestNote(home);
    const text = await Deno.readTextFile(path);
    if (parseCheckpoint(text.slice(0, text.indexOf("\n\n") + 1))!.size <= oldSize) break;
    await Deno.remove(path);
  }
  const r = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(r.code, 1, r.out);
  assert.match(
    r.err,
    new RegExp(
      `the device's newest checkpoint \\(\\d+\\) is older than the anchor's \\(${size}\\): ` +
        "checkpoint notes were removed or the log was cut",
    ),
  );
  assert.match(r.err, /thoth: hint: keep it, and run "thoth audit verify --anchor .*anchor\.note"/);
  assert.equal(await Deno.readTextFile(file), anchor, "the anchor is kept");

  const replaced = await thothAudit(home, "checkpoint", "--export", file, "--replace");
  assert.equal(replaced.code, 0, replaced.err);
  assert.notEqual(await Deno.readTextFile(file), anchor);
});

Deno.test("checkpoint --export: the same size and root, signed again, is held already", async () => {
  const { home, file } = await exportedAnchor();
  const note = await Deno.readTextFile(file);
  // The same checkpoint with a different signature line (as after a re-sign).
  const resigned = note.replace(/\n\n/, "\n\n\u2014 other-key AAAA\n");
  await Deno.writeTextFile(file, resigned);
  const r = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /anchor\.note holds the checkpoint at size \d+ already/);
  assert.equal(await Deno.readTextFile(file), resigned, "left as it is");
});

Deno.test("checkpoint --export names another log's anchor as such", async () => {
  const home = await sampleLog(1, 4);
  const file = `${home}/anchor.note`;
  const signer = await otherSigner("thoth.local/audit/elsewhere");
  const other = await signNote(
    formatCheckpoint({ origin: signer.name, size: 3, root: new Uint8Array(32) }),
    signer,
  );
  await Deno.writeTextFile(file, other);
  const r = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(r.code, 1, r.out);
  assert.match(
    r.err,
    /it holds a checkpoint of another log \(origin "thoth\.local\/audit\/elsewhere", not this device's "[^"]+"\)/,
  );
  assert.doesNotMatch(r.err, /proves the log was changed/);
  assert.equal(await Deno.readTextFile(file), other);
});

Deno.test({
  name: "checkpoint --export at a FIFO hints at a regular file, not a folder",
  ignore: !HAS_FIFO,
  fn: async () => {
    const r = await exportToFifo();
    assert.equal(r.code, 1);
    assert.match(r.err, /thoth: hint: name a regular file to write/);
    assert.doesNotMatch(r.err, /inside that folder/);
  },
});
