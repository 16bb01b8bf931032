/**
 * A session whose audit log stays locked by another process (a thoth
 * stopped with Ctrl-Z), through the real `thoth run`: its error is followed
 * by the lock's own remedies (how to find the holder, how to resume or end
 * a stopped one), not the generic "check free space and permissions" that
 * fits a full disk.
 */
import assert from "node:assert/strict";
import {
  everythingArgv,
  initializeRequest,
  RawPeer,
  tempDir,
  testEnv,
  throughThoth,
} from "./_harness.ts";
import { holdLock } from "../_hold_lock.ts";

Deno.test("thoth run with the audit log's lock held elsewhere gives the lock's hints, not the generic one", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(`${home}/audit`, { recursive: true });
  await Deno.writeTextFile(
    `${home}/policy.jsonc`,
    JSON.stringify({ version: 1, default: "allow", rules: [] }),
  );
  await using _holder = await holdLock(`${home}/audit/.lock`, 60_000);
  const peer = new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    const answer = await peer.responseTo(1, 30_000);
    assert.ok("result" in answer, JSON.stringify(answer));
  } finally {
    await peer.finish();
  }
  const lines = peer.stderr.split("\n");
  const error = lines.findIndex((line) =>
    /^thoth: error: cannot write the audit log in ".+": its lock ".+\/audit\/\.lock" was held by another process for 10 s; tool calls are blocked/
      .test(line)
  );
  assert.ok(error !== -1, peer.stderr);
  const hints = lines.slice(error + 1).filter((line) => line.startsWith("thoth: hint: "));
  assert.match(hints[0] ?? "", /^thoth: hint: to see which process holds it, run: /);
  assert.match(hints[1] ?? "", /^thoth: hint: a stopped process \(Ctrl-Z, or SIGSTOP\) holds it/);
  assert.doesNotMatch(peer.stderr, /check free space and permissions/);
});
