/**
 * A lock of thoth's held by another process (a thoth stopped with Ctrl-Z, any
 * process of the user), through the real `thoth run`: the session is never
 * frozen without a word. With the audit log's lock held, the session's start
 * says on stderr what it waits for, gives up within 10 s (well before a
 * client's 60 s request timeout), answers `initialize`, and refuses every
 * call it cannot record; its error is followed by the lock's own remedies
 * (how to find the holder, how to resume or end a stopped one), not the
 * generic "check free space and permissions" that fits a full disk. With the
 * progressive counters' lock held, a violating call is blocked within 5 s,
 * and its decision record names the lock.
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
import { auditRecords } from "./_governed.ts";
import { holdLock } from "../_hold_lock.ts";

/** Longer than the code before the fix waited: a frozen session fails the test at its deadline. */
const HOLD_AT_MOST = 60_000;
/** How long the client waits for an answer: half the SDK's request timeout. */
const CLIENT_WAITS = 30_000;

const POLICY = JSON.stringify({
  version: 1,
  default: "allow",
  rules: [{ id: "no-sum", match: { tool: "get-sum" }, decision: "block", reason: "no sums" }],
  progressive: { window: "1h", stepUpAfter: 1, blockAfter: 2 },
});

/** `initialize`, then one get-sum call through `thoth run` in `mode`: the answers and stderr. */
async function oneSum(home: string, mode: string) {
  const peer = new RawPeer(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", mode]),
    testEnv({ THOTH_HOME: home }),
  );
  try {
    await peer.send(initializeRequest(1));
    const initialized = await peer.responseTo(1, CLIENT_WAITS);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "get-sum", arguments: { a: 1, b: 2 } },
    });
    const called = await peer.responseTo(2, CLIENT_WAITS);
    return { initialized, called, peer };
  } finally {
    await peer.finish();
  }
}

Deno.test("thoth run with the audit lock held elsewhere: told on stderr with the lock's hints, initialize answered, calls refused", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(`${home}/audit`, { recursive: true });
  await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
  const lock = `${home}/audit/.lock`;
  await using _holder = await holdLock(lock, HOLD_AT_MOST);

  const { initialized, called, peer } = await oneSum(home, "block");
  assert.ok("result" in initialized, JSON.stringify(initialized));
  const result = called["result"] as { isError?: boolean; content: { text: string }[] };
  assert.equal(result.isError, true, JSON.stringify(called));
  assert.match(result.content[0]!.text, /cannot record this call in its audit log/);
  assert.ok(!result.content[0]!.text.includes(dir.path), "the model is told no path");
  const stderr = peer.stderr;
  assert.match(
    stderr,
    /thoth: warning: waiting for the audit log's lock ".+\/audit\/\.lock", which another process holds .*giving up after 10 s; to see which process holds it/,
  );
  assert.match(
    stderr,
    /thoth: error: cannot write the audit log in ".+\/audit": its lock ".+\/audit\/\.lock" was held by another process for 10 s; tool calls are blocked/,
  );
  // The lock's own hints follow its error, not the generic one of a full disk.
  const lines = stderr.split("\n");
  const error = lines.findIndex((line) =>
    /^thoth: error: cannot write the audit log in ".+": its lock ".+\/audit\/\.lock" was held by another process for 10 s; tool calls are blocked/
      .test(line)
  );
  assert.ok(error !== -1, stderr);
  const hints = lines.slice(error + 1).filter((line) => line.startsWith("thoth: hint: "));
  assert.match(hints[0] ?? "", /^thoth: hint: to see which process holds it, run: /);
  assert.match(hints[1] ?? "", /^thoth: hint: a stopped process \(Ctrl-Z, or SIGSTOP\) holds it/);
  assert.doesNotMatch(stderr, /check free space and permissions/);
});

Deno.test("a progressive violation with the counters' lock held elsewhere: blocked, the lock named in its record", async () => {
  await using dir = await tempDir();
  const home = `${dir.path}/home`;
  await Deno.mkdir(`${home}/state`, { recursive: true });
  await Deno.writeTextFile(`${home}/policy.jsonc`, POLICY);
  const lock = `${home}/state/progressive.lock`;
  const holder = await holdLock(lock, HOLD_AT_MOST);
  let sum;
  try {
    sum = await oneSum(home, "progressive");
  } finally {
    await holder.release();
  }
  const result = sum.called["result"] as { isError?: boolean; content: { text: string }[] };
  assert.equal(result.isError, true, JSON.stringify(sum.called));
  assert.match(
    result.content[0]!.text,
    /progressive counters are unavailable, so this violation is blocked/,
  );
  assert.ok(!result.content[0]!.text.includes(dir.path), "the model is told no path");
  assert.match(
    sum.peer.stderr,
    /thoth: warning: waiting for the progressive counters' lock ".+\/state\/progressive\.lock", which another process holds .*the call is blocked if it is not free within 5 s/,
  );
  const decisions = (await auditRecords(home)).filter((r) => r.type === "decision");
  assert.equal(decisions.length, 1);
  assert.equal(decisions[0]!["effect"], "blocked");
  assert.match(
    (decisions[0]!["reasons"] as string[])[0]!,
    /^progressive counters unavailable, failing closed: cannot update the progressive counters in ".+": their lock ".+\/state\/progressive\.lock" was held by another process for 5 s$/,
  );
});
