/**
 * `thoth run --approval-timeout` of 55 s or more, through the real CLI and
 * a real server: stderr warns once, at the start, that an MCP client on
 * the official SDKs may give up on a waiting call first (its -32001
 * instead of thoth's answer) and what becomes of the call; below 55 s,
 * nothing is said.
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
import { profileWithRules } from "./_governed.ts";

const WARNING = /thoth: warning: --approval-timeout (\d+) is 55 s or more/g;

/** Starts a session with `--approval-timeout seconds`, answers `initialize`; its stderr. */
async function sessionStderr(home: string, seconds: string): Promise<string> {
  const peer = new RawPeer(
    throughThoth(everythingArgv(), [
      "--agent-id",
      "everything",
      "--enforcement-mode",
      "step_up",
      "--approval-timeout",
      seconds,
    ]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    const answer = await peer.responseTo(1, 30_000);
    assert.ok("result" in answer, JSON.stringify(answer));
  } finally {
    await peer.finish();
  }
  return peer.stderr;
}

Deno.test("thoth run warns once at its start about an approval timeout the client may not wait for, not below 55 s", async () => {
  await using dir = await tempDir();
  const home = await profileWithRules(dir.path, []);
  const stderr = await sessionStderr(home, "600");
  const warnings = [...stderr.matchAll(WARNING)];
  assert.equal(warnings.length, 1, stderr);
  assert.equal(warnings[0]![1], "600");
  assert.match(stderr, /give up on a request after 60 s/);
  assert.match(stderr, /"Request timed out" \(MCP error -32001\) instead of thoth's answer/);
  assert.match(stderr, /keep it under 55 s \(the default is 45 s\)/);
  // At the start: before anything the session itself says.
  assert.equal(stderr.indexOf("thoth: "), stderr.indexOf("thoth: warning: --approval-timeout"));
  for (const seconds of ["55", "54"]) {
    const said = await sessionStderr(home, seconds);
    assert.equal([...said.matchAll(WARNING)].length, seconds === "55" ? 1 : 0, said);
  }
});
