/**
 * `thoth audit rotate-key` and `thothctl audit rotate-key` as real
 * subprocesses under their manifest permissions: a device without a key has
 * nothing to rotate (exit 1, nothing created); a rotation names the old and
 * new keys and the record's seq, points at a fresh anchor, and the log
 * verifies against an anchor exported after it.
 */
import assert from "node:assert/strict";
import { runThoth } from "./_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { sampleLog } from "../audit/_log_helpers.ts";
import { readPublicKeys } from "../../src/audit/device_keys.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";

function run(home: string, args: string[], program: "thoth" | "thothctl" = "thoth") {
  const cwd = home.slice(0, home.lastIndexOf("/"));
  return runThoth(args, { env: { THOTH_HOME: home, HOME: cwd }, cwd, program });
}

Deno.test("thoth audit rotate-key without a key yet: nothing to rotate, exit 1, and nothing is created", async () => {
  const home = `${await tempFolder("thoth-rotate-none-")}/profile`;
  const text = await run(home, ["audit", "rotate-key"]);
  assert.equal(text.code, 1, text.err);
  assert.equal(text.out, "");
  assert.match(
    text.err,
    /^thoth: error: there is no audit signing key to rotate in "[^"]+\/keys": /,
  );
  assert.match(text.err, /\nthoth: hint: thoth makes the key with the log's first record/);
  await assert.rejects(Deno.lstat(home), Deno.errors.NotFound);
  const json = await run(home, ["audit", "rotate-key", "--json"], "thothctl");
  assert.equal(json.code, 1, json.err);
  const failure = JSON.parse(json.out) as { ok: boolean; error: { code: string } };
  assert.equal(failure.ok, false);
  assert.equal(failure.error.code, "audit.nothing_to_rotate");
  // thothctl sets up the profile's session folders before any command: no key, no log.
  await assert.rejects(Deno.lstat(`${home}/keys`), Deno.errors.NotFound);
  await assert.rejects(Deno.lstat(`${home}/audit`), Deno.errors.NotFound);
});

Deno.test("thoth audit rotate-key names both keys and the record, and the log verifies against a fresh anchor", async () => {
  const home = await sampleLog(1, 4);
  const paths = auditPaths(home);
  const before = await readPublicKeys(paths.publicKeys);
  const text = await run(home, ["audit", "rotate-key"]);
  assert.equal(text.code, 0, text.err);
  const keys = await readPublicKeys(paths.publicKeys);
  assert.equal(keys.length, before.length + 1);
  const [old, next] = [keys[keys.length - 2]!, keys[keys.length - 1]!];
  assert.ok(old.retired !== undefined && next.retired === undefined);
  const seq = /recorded the rotation at seq (\d+);/.exec(text.out)?.[1];
  assert.ok(seq !== undefined, text.out);
  assert.ok(text.out.includes(`  old key: ${old.name}+${old.keyHash} (retired`), text.out);
  assert.ok(text.out.includes(`  new key: ${next.name}+${next.keyHash}\n`), text.out);
  assert.match(text.out, /\n {2}thoth audit checkpoint --export FILE\n$/);

  const json = await run(home, ["audit", "rotate-key", "--json"], "thothctl");
  assert.equal(json.code, 0, json.err);
  const rotated = JSON.parse(json.out);
  assert.deepEqual(Object.keys(rotated).sort(), ["checkpoint", "newKey", "ok", "oldKey", "seq"]);
  assert.equal(rotated.ok, true);
  assert.equal(rotated.oldKey, `${next.name}+${next.keyHash}`);
  assert.ok(rotated.seq > Number(seq));
  assert.equal(rotated.checkpoint.size, rotated.seq + 1);
  assert.match(rotated.checkpoint.note, new RegExp(`\n${rotated.checkpoint.size}\n`));
  const newest = (await readPublicKeys(paths.publicKeys)).at(-1)!;
  assert.equal(rotated.newKey, `${newest.name}+${newest.keyHash}`);

  const anchor = `${home}/anchor.note`;
  const exported = await run(home, ["audit", "checkpoint", "--export", anchor]);
  assert.equal(exported.code, 0, exported.err);
  assert.equal(exported.err, "", "the anchor is signed by the current key");
  const verified = await run(home, ["audit", "verify", "--anchor", anchor]);
  assert.equal(verified.code, 0, verified.out + verified.err);
  assert.match(verified.out, new RegExp(`key_rotation seq ${rotated.seq}: `));
});
