/**
 * A queued request whose thoth died while it waited (SIGKILL, a crash) waits
 * for no one: `thoth approvals list` shows it as orphaned, and approving it
 * is refused with a clear message (exit 1) instead of saying "approved" for
 * a call that will never run. A request whose thoth still refreshes it is
 * never called orphaned, whatever its pid looks like from here.
 */
import assert from "node:assert/strict";
import { ApprovalQueue, ORPHAN_QUIET_MS } from "../../src/approval/approval_queue.ts";
import { elapsedSeconds, waiterAlive } from "../../src/approval/waiter_alive.ts";
import { isAppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { GovernedPeer, type Json, queuedId, thothCli, toolCall } from "./_governed_peer.ts";

const facts = (pid: number) => ({
  expiresAt: Date.now() + 60_000,
  server: "fs",
  tool: "write_file",
  ruleIds: ["w"],
  reasons: [],
  decisionId: "d-1",
  shape: [],
  digest: "a".repeat(64),
  allowSession: true,
  pid,
});

Deno.test("ApprovalQueue: a request is orphaned only when its pid is gone and it went quiet", async () => {
  const home = await tempFolder("thoth-orphan-");
  let clock = Date.now();
  let alive: boolean | undefined = false;
  const queue = ApprovalQueue.forHome(home, () => clock, () => alive);
  const entry = await queue.submit(facts(4_000_000));
  assert.equal((await queue.list())[0]!.state, "pending", "just queued: not quiet yet");
  clock += ORPHAN_QUIET_MS + 1_000;
  assert.equal((await queue.list())[0]!.state, "orphaned");
  await assert.rejects(
    queue.settle(entry.id, { decision: "approve", by: "ana" }),
    (error) => isAppError(error, "approval.orphaned") && /no longer running/.test(error.message),
  );
  // A refresh says its thoth still waits (another PID namespace, say): pending again.
  await queue.refresh(entry.id);
  assert.equal((await queue.list())[0]!.state, "pending");
  // Alive or unknown pid: never orphaned, however quiet.
  clock += 10 * ORPHAN_QUIET_MS;
  for (const state of [true, undefined]) {
    alive = state;
    assert.equal((await queue.list())[0]!.state, "pending");
  }
  const answer = await queue.settle(entry.id, { decision: "approve", by: "ana" });
  assert.equal(answer.decision, "approve");
});

Deno.test({
  name: "waiterAlive() tells a running process from a gone or a later one by ps",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    assert.equal(elapsedSeconds("01:02"), 62);
    assert.equal(elapsedSeconds("1-02:03:04"), 93_784);
    assert.equal(elapsedSeconds("soon"), undefined);
    assert.equal(await waiterAlive(Deno.pid, Date.now()), true);
    // This process started before now: it cannot be the one that queued a request an hour ago.
    assert.equal(await waiterAlive(Deno.pid, Date.now() - 3_600_000), false);
    const gone = new Deno.Command(Deno.execPath(), { args: ["eval", "0"] }).spawn();
    await gone.status;
    assert.equal(await waiterAlive(gone.pid, Date.now()), false);
    assert.equal(await waiterAlive(Deno.pid, Date.now(), "windows"), undefined);
  },
});

Deno.test({
  name:
    "thoth approvals lists a request left by a killed thoth as orphaned and refuses to approve it",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const peer = await GovernedPeer.start({
      version: 1,
      default: "allow",
      rules: [{ id: "ask-del", match: { tool: "delete_everything" }, decision: "step_up" }],
    }, { flags: ["--enforcement-mode", "block", "--approval-timeout", "60"], capabilities: {} });
    let id: string;
    try {
      await peer.send(toolCall(1, "delete_everything", {}));
      id = await queuedId(peer);
      const live = await thothCli(peer.home, ["approvals", "list", "--json"]);
      assert.deepEqual(JSON.parse(live.stdout).map((i: Json) => i.state), ["pending"]);
      peer.child.kill("SIGKILL");
      await peer.child.status;
    } finally {
      await peer.finish();
    }
    await new Promise((resolve) => setTimeout(resolve, ORPHAN_QUIET_MS + 1_000));
    const listed = await thothCli(peer.home, ["approvals", "list", "--json"]);
    assert.deepEqual(JSON.parse(listed.stdout).map((i: Json) => [i.id, i.state]), [[
      id,
      "orphaned",
    ]]);
    const text = await thothCli(peer.home, ["approvals", "list"]);
    assert.match(text.stdout, /\[orphaned: the thoth that asked \(pid \d+\) is gone\]/);
    const approve = await thothCli(peer.home, ["approvals", "approve", id]);
    assert.equal(approve.code, 1, approve.stdout);
    assert.match(
      approve.stderr,
      /thoth: error: request "[a-z0-9]{8}" was left by a thoth \(pid \d+\)/,
    );
    assert.match(approve.stderr, /nothing waits for this answer/);
    assert.doesNotMatch(approve.stdout, /approved/);
  },
});
