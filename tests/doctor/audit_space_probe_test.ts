/**
 * Doctor's audit check tells a full disk under the audit log (which refuses
 * every governed tool call) though the modes allow every write: a probe
 * file written in the audit folder, synced and removed at once. Its write
 * is passed in, so that a full disk (or another refusal) is made here
 * without one: a full disk fails the check with the hint to free space; any
 * other refusal is not called a full disk; a probe that goes through changes
 * nothing and leaves nothing behind; no audit folder, or modes already at
 * fault, and nothing is written. Then the real probe on a real temp folder.
 */
import assert from "node:assert/strict";
import { freeSpaceHint } from "../../src/audit/disk_full_words.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { auditWriteProblem, withWriteAccess } from "../../src/doctor/audit_write_access.ts";
import {
  PROBE_BYTES,
  probeAuditSpace,
  type ProbeWrite,
  writeSynced,
} from "../../src/doctor/audit_space_probe.ts";
import { checkAudit } from "../../src/doctor/check_audit.ts";
import type { AuditHealth } from "../../src/doctor/doctor_plugins.ts";
import { tempFolder } from "../_temp_dirs.ts";

const SELF = Deno.build.os === "windows" ? null : Deno.uid();

/** An error as Deno throws it for a file system call the OS refused with `code`. */
function osError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** An error as Deno throws it for a write on a full disk. */
function noSpace(): Error {
  return osError("No space left on device (os error 28)", "ENOSPC");
}

/** What the audit write check of `home` says when its probe's write fails with `error`. */
function failedWith(home: string, error: unknown) {
  return auditWriteProblem(home, SELF, failingWrite(() => error).write);
}

/** A profile whose audit folder the modes let its owner write. */
async function profile(prefix: string): Promise<string> {
  const home = await tempFolder(prefix);
  Deno.mkdirSync(auditPaths(home).dir, { mode: 0o700 });
  return home;
}

/** The names in `dir`, sorted. */
function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

/** Each entry of `dir` with its size, sorted. */
function sizes(dir: string): string[] {
  return names(dir).map((name) => `${name} ${Deno.lstatSync(`${dir}/${name}`).size}`);
}

/**
 * A write that makes the file, writes part of it, then throws `error`, as a
 * filling disk does; the paths it was called with.
 */
function failingWrite(error: () => unknown): { write: ProbeWrite; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    write: (path) => {
      calls.push(path);
      Deno.writeFileSync(path, new Uint8Array(100), { createNew: true, mode: 0o600 });
      return Promise.reject(error());
    },
  };
}

const OK: AuditHealth = {
  status: "ok",
  lastSequence: 4,
  lastCheckpointAt: null,
  verified: null,
  message: "5 record(s)",
  hint: 'run "thoth audit verify" for a full check of every record, checkpoint and key',
};

Deno.test("a full disk under the audit folder fails the audit check, with the hint to free space", async () => {
  const home = await profile("thoth-space-full-");
  const dir = auditPaths(home).dir;
  const { write, calls } = failingWrite(noSpace);
  const problem = await auditWriteProblem(home, SELF, write);
  assert.equal(calls.length, 1);
  assert.match(calls[0]!, new RegExp(`^${escaped(dir)}/\\.space-probe-[0-9a-f-]{36}$`));
  assert.ok(problem !== null);
  assert.equal(
    problem.message,
    `the disk holding "${dir}" has no free space: a 4 KiB probe file could not be written ` +
      "there (No space left on device (os error 28)); the audit log cannot be written, so " +
      "thoth refuses every governed tool call (audit.unwritable; observe mode forwards " +
      "them, unrecorded)",
  );
  assert.equal(problem.hint, freeSpaceHint(home));
  assert.match(problem.hint, new RegExp(`^free space on the disk holding THOTH_HOME \\('`));
  // The probe the write began is gone.
  assert.deepEqual(names(dir), []);

  const check = checkAudit(withWriteAccess(OK, problem));
  assert.equal(check.status, "fail");
  assert.match(check.message, /^the disk holding ".+" has no free space: .*; 5 record\(s\)$/);
  assert.equal(check.hint, freeSpaceHint(home));
});

Deno.test("a disk quota exceeded is a full disk too; a refusal of another kind is not called one", async () => {
  const home = await profile("thoth-space-other-");
  const dir = auditPaths(home).dir;
  const quota = await failedWith(home, osError("Disk quota exceeded (os error 122)", "EDQUOT"));
  assert.match(quota?.message ?? "", /has no free space/);

  const denied = await failedWith(
    home,
    new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
  );
  assert.ok(denied !== null);
  assert.equal(
    denied.message,
    `"${dir}" cannot be written though its modes allow it: a 4 KiB probe file could not be ` +
      "written there (Permission denied (os error 13)); the audit log cannot be written, so " +
      "thoth refuses every governed tool call (audit.unwritable; observe mode forwards " +
      "them, unrecorded)",
  );
  assert.doesNotMatch(`${denied.message} ${denied.hint}`, /free space|no free space|full/);
  assert.match(denied.hint, /^make '.+\/audit' writable for the user thoth runs as/);

  const readOnly = await failedWith(home, osError("Read-only file system (os error 30)", "EROFS"));
  assert.doesNotMatch(readOnly?.message ?? "", /free space/);
  assert.match(readOnly?.hint ?? "", /^the profile is on a read-only file system/);
  assert.deepEqual(names(dir), []);
});

Deno.test("a probe that goes through changes nothing and leaves nothing behind", async () => {
  const home = await profile("thoth-space-ok-");
  const dir = auditPaths(home).dir;
  Deno.writeTextFileSync(`${dir}/.lock`, "", { mode: 0o600 });
  const before = names(dir);
  const written: { path: string; bytes: number }[] = [];
  const problem = await auditWriteProblem(home, SELF, async (path, bytes) => {
    await writeSynced(path, bytes);
    written.push({ path, bytes: Deno.statSync(path).size });
  });
  assert.equal(problem, null);
  assert.equal(written.length, 1);
  assert.equal(written[0]!.bytes, PROBE_BYTES);
  assert.deepEqual(names(dir), before);
});

Deno.test("no audit folder, or modes already at fault: nothing is probed, nothing is made", async () => {
  const home = await tempFolder("thoth-space-none-");
  const never: ProbeWrite = () => Promise.reject(new Error("the probe ran"));
  assert.equal(await auditWriteProblem(home, SELF, never), null);
  assert.deepEqual(names(home), []);

  // A file where the spool folder must be: that fault is said, with no probe.
  const faulty = await profile("thoth-space-fault-");
  const spool = `${auditPaths(faulty).dir}/spool`;
  Deno.writeTextFileSync(spool, "not a folder\n");
  const problem = await auditWriteProblem(faulty, SELF, never);
  assert.match(problem?.message ?? "", /spool" is a regular file, not a folder/);
  assert.doesNotMatch(problem?.message ?? "", /probe/);
});

Deno.test("probeAuditSpace() writes, syncs and removes its probe in a real folder, which it leaves as it was", async () => {
  const dir = await tempFolder("thoth-space-real-");
  Deno.writeTextFileSync(`${dir}/seg-000000000000-2026-03-01.jsonl`, "{}\n");
  Deno.mkdirSync(`${dir}/spool`);
  const before = sizes(dir);
  assert.equal(await probeAuditSpace(dir), undefined);
  const after = sizes(dir);
  assert.deepEqual(after, before);
  // A folder gone meanwhile is no fault of the disk's.
  assert.equal(await probeAuditSpace(`${dir}/gone`), undefined);
});

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
