/**
 * `thoth audit rotate-key` while a session runs: a real `thoth run` in front
 * of server-everything, driven by the official SDK client, holds the log open
 * across a rotation made by the real CLI in another process. The session's
 * later checkpoints are signed by the new key alone (a session that went on
 * signing with the old key would leave the rotation worthless after an
 * exposure, yet verify clean: the old key stays trusted for what it signed),
 * and the device's log and a bundle exported after it verify clean.
 */
import assert from "node:assert/strict";
import { connect, everythingArgv, throughThoth } from "./_harness.ts";
import { runThoth } from "../cli/_thoth_process.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { CHECKPOINT_PATTERN } from "../../src/audit/log_paths.ts";
import { openNote } from "../../src/audit/signed_note.ts";

function thoth(home: string, args: string[], program: "thoth" | "thothctl" = "thoth") {
  return runThoth(args, { env: { THOTH_HOME: home, HOME: home }, cwd: home, program });
}

/** Each checkpoint file's size and the key hashes of the signatures on it. */
async function checkpointSigners(home: string): Promise<{ size: number; keys: string[] }[]> {
  const out: { size: number; keys: string[] }[] = [];
  for await (const entry of Deno.readDir(`${home}/audit/checkpoints`)) {
    const match = CHECKPOINT_PATTERN.exec(entry.name);
    if (match === null) continue;
    const note = await Deno.readTextFile(`${home}/audit/checkpoints/${entry.name}`);
    const opened = await openNote(note, []);
    assert.ok(opened !== undefined, `${entry.name} is not a signed note`);
    out.push({ size: Number(match[1]), keys: opened.signatures.map((s) => s.keyHash) });
  }
  return out.sort((a, b) => a.size - b.size);
}

Deno.test("a session running across thoth audit rotate-key signs its later checkpoints with the new key, and the log and a bundle verify clean", async () => {
  const home = `${await tempFolder("thoth-rotate-session-")}/home`;
  await Deno.mkdir(home, { recursive: true });
  const session = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything"]),
    {},
    { THOTH_HOME: home, HOME: home },
  );
  let rotated: {
    ok: boolean;
    seq: number;
    oldKey: string;
    newKey: string;
    checkpoint: { size: number };
  };
  try {
    for (const message of ["before 1", "before 2"]) {
      await session.client.callTool({ name: "echo", arguments: { message } });
    }
    const rotation = await thoth(home, ["audit", "rotate-key", "--json"]);
    assert.equal(rotation.code, 0, rotation.err);
    rotated = JSON.parse(rotation.out);
    assert.equal(rotated.ok, true);
    assert.notEqual(rotated.newKey, rotated.oldKey);
    for (const message of ["after 1", "after 2"]) {
      await session.client.callTool({ name: "echo", arguments: { message } });
    }
  } finally {
    // The session's end signs a checkpoint over its last records.
    await session.close();
  }
  const newHash = rotated.newKey.split("+")[1]!;
  const oldHash = rotated.oldKey.split("+")[1]!;
  const signers = await checkpointSigners(home);
  const before = signers.filter((c) => c.size <= rotated.seq);
  const after = signers.filter((c) => c.size > rotated.seq);
  assert.ok(
    before.length > 0 && before.every((c) => c.keys.join() === oldHash),
    JSON.stringify(signers),
  );
  // The rotation's own checkpoint, then at least the session's last one.
  assert.equal(after[0]?.size, rotated.checkpoint.size, JSON.stringify(signers));
  assert.ok(after.length >= 2, `no checkpoint after the rotation's: ${JSON.stringify(signers)}`);
  for (const checkpoint of after) {
    assert.deepEqual(
      checkpoint.keys,
      [newHash],
      `checkpoint ${checkpoint.size} is not signed by the new key alone`,
    );
  }

  const verified = await thoth(home, ["audit", "verify", "--json"]);
  assert.equal(verified.code, 0, verified.out + verified.err);
  const report = JSON.parse(verified.out) as { findings: { kind: string; seq?: number }[] };
  assert.ok(report.findings.some((f) => f.kind === "key_rotation" && f.seq === rotated.seq));

  const bundle = `${await tempFolder("thoth-rotate-bundle-")}/bundle`;
  const exported = await thoth(
    home,
    ["audit", "export", "--since", "1d", "--output", bundle],
    "thothctl",
  );
  assert.equal(exported.code, 0, exported.err);
  const checked = await thoth(home, ["audit", "verify", "--bundle", bundle]);
  assert.equal(checked.code, 0, checked.out + checked.err);
});
