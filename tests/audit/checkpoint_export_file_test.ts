/**
 * `thoth audit checkpoint --export FILE` never loses an anchor: a file there
 * is replaced only when it holds a checkpoint the log extends (else only with
 * --replace), never through a link, never a folder, FIFO or device; the note
 * is written beside it and renamed into place; a failed write says why.
 */
import assert from "node:assert/strict";
import {
  appendAsNextWriter,
  readLines,
  rechain,
  sampleLog,
  segmentPath,
  writeLines,
} from "./_log_helpers.ts";
import { deviceSigner } from "./_bundle_helpers.ts";
import { thothAudit } from "./_audit_cli.ts";
import { HAS_FIFO } from "../platform/_fifo.ts";
import { exportedAnchor, exportToFifo } from "./_checkpoint_export.ts";

/**
 * Rewrites record 3 and everything after it in every segment, re-signing the
 * checkpoints with the device's key, as an attacker on the device can.
 */
async function forkLog(home: string): Promise<void> {
  const paths: string[] = [];
  for (let i = 0;; i++) {
    try {
      paths.push(await segmentPath(home, i));
    } catch {
      break;
    }
  }
  const segments = await Promise.all(paths.map(readLines));
  const lines = segments.flat();
  const record = JSON.parse(lines[3]!);
  record.ts = "2026-03-01T09:00:00.000Z";
  lines[3] = JSON.stringify(record);
  const forked = await rechain(lines, 3, { resign: await deviceSigner(home), home });
  let at = 0;
  for (const [i, path] of paths.entries()) {
    await writeLines(path, forked.slice(at, at + segments[i]!.length));
    at += segments[i]!.length;
  }
}

Deno.test("checkpoint --export replaces an anchor the log extends", async () => {
  const home = await sampleLog(1, 4);
  const file = `${home}/anchor.note`;
  const first = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /^wrote the checkpoint at size \d+ to /);
  const old = await Deno.readTextFile(file);
  const again = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /^.*anchor\.note holds the checkpoint at size \d+ already\n/);
  await appendAsNextWriter(home);
  const later = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(later.code, 0, later.err);
  assert.match(later.out, /^replaced the checkpoint in .*anchor\.note with the one at size \d+\n/);
  assert.notEqual(await Deno.readTextFile(file), old);
  const verified = await thothAudit(home, "verify", "--anchor", file);
  assert.notEqual(verified.code, 1, verified.out);
  assert.match(verified.out, /anchor at size \d+ verified/);
});

Deno.test("checkpoint --export keeps an anchor that proves a fork, unless --replace", async () => {
  const { home, file } = await exportedAnchor();
  const anchor = await Deno.readTextFile(file);
  await forkLog(home);
  assert.equal(
    (await thothAudit(home, "verify", "--anchor", file)).code,
    1,
    "the anchor proves it",
  );

  const r = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(r.code, 1, r.out);
  assert.match(
    r.err,
    /cannot write the checkpoint to ".*anchor\.note": it holds a checkpoint at size \d+ that this log does not extend/,
  );
  assert.match(r.err, /thoth: hint: keep it, and run "thoth audit verify --anchor /);
  assert.match(r.err, /--replace/);
  assert.equal(await Deno.readTextFile(file), anchor, "the anchor is kept");
  assert.equal((await thothAudit(home, "verify", "--anchor", file)).code, 1, "and still proves it");

  const replaced = await thothAudit(home, "checkpoint", "--export", file, "--replace");
  assert.equal(replaced.code, 0, replaced.err);
  assert.notEqual(await Deno.readTextFile(file), anchor);
});

Deno.test("checkpoint --export refuses a file that holds no checkpoint, unless --replace", async () => {
  const home = await sampleLog(1, 2);
  const file = `${home}/notes.txt`;
  await Deno.writeTextFile(file, "my notes\n");
  const r = await thothAudit(home, "checkpoint", "--export", file);
  assert.equal(r.code, 1);
  assert.match(r.err, /it exists and holds no checkpoint note/);
  assert.equal(await Deno.readTextFile(file), "my notes\n");
  assert.equal((await thothAudit(home, "checkpoint", "--export", file, "--replace")).code, 0);
});

Deno.test("checkpoint --export never writes through a link", async () => {
  const home = await sampleLog(1, 2);
  const target = `${home}/target.txt`;
  await Deno.writeTextFile(target, "kept\n");
  const link = `${home}/anchor.note`;
  await Deno.symlink(target, link);
  const r = await thothAudit(home, "checkpoint", "--export", link, "--replace");
  assert.equal(r.code, 1);
  assert.match(r.err, /it is a symbolic link/);
  assert.equal(await Deno.readTextFile(target), "kept\n");
  assert.ok((await Deno.lstat(link)).isSymlink);
});

Deno.test({
  name: "checkpoint --export refuses a FIFO at once instead of hanging",
  ignore: !HAS_FIFO,
  fn: async () => {
    const r = await exportToFifo();
    assert.equal(r.code, 1);
    assert.match(r.err, /it is not a regular file \(a FIFO or a device\)/);
  },
});

Deno.test("checkpoint --export says why a write failed: a folder, a missing folder", async () => {
  const home = await sampleLog(1, 2);
  const folder = await thothAudit(home, "checkpoint", "--export", home);
  assert.equal(folder.code, 1);
  assert.match(folder.err, /cannot write the checkpoint to ".*": it is a folder/);
  assert.match(folder.err, /thoth: hint: name a file to write/);
  const missing = await thothAudit(home, "checkpoint", "--export", `${home}/no/such/anchor.note`);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /: its folder ".*\/no\/such" does not exist/);
  assert.match(missing.err, /thoth: hint: choose a file you can write in an existing folder/);
  assert.deepEqual(
    [...Deno.readDirSync(home)].filter((e) => e.name.includes(".tmp-")),
    [],
    "no temp file is left",
  );
});

Deno.test("checkpoint --replace without --export is refused before anything is signed", async () => {
  const home = await sampleLog(1, 2);
  const r = await thothAudit(home, "checkpoint", "--replace");
  assert.equal(r.code, 2);
  assert.match(r.err, /--replace goes with --export FILE/);
});
