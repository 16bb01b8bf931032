/**
 * A queued request whose thoth died while it waited (SIGKILL, a crash) waits
 * for no one: `thoth approvals list` shows it as orphaned, and approving it
 * is refused with a clear message (exit 1) instead of saying "approved" for
 * a call that will never run. A request whose thoth still refreshes it is
 * never called orphaned, whatever its pid looks like from here.
 */
import assert from "node:assert/strict";
import { ORPHAN_QUIET_MS, ORPHAN_UNVERIFIED_QUIET_MS } from "../../src/approval/waiter_watch.ts";
import { elapsedSeconds, waiterAlive } from "../../src/approval/waiter_alive.ts";
import { isAppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";
import { GovernedPeer, type Json, queuedId, thothCli, toolCall } from "./_governed_peer.ts";
import { queueWithKeys } from "./_signed_answers.ts";

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
/** The PID namespace and boot of the reader in these tests. */
const HERE = { pidNamespace: "pid:[4026531836]", bootId: "7757a212-a17e-4a69-9ca2-e4372282b572" };

Deno.test("ApprovalQueue: a request is orphaned only when its pid is gone and it went quiet", async () => {
  const home = await tempFolder("thoth-orphan-");
  let clock = Date.now();
  let alive: boolean | undefined = false;
  const queue = await queueWithKeys(home, () => clock, () => alive, () => HERE);
  const entry = await queue.submit({ ...facts(4_000_000), ...HERE });
  assert.equal((await queue.list())[0]!.state, "pending", "just queued: not quiet yet");
  clock += ORPHAN_QUIET_MS + 1_000;
  assert.equal((await queue.list())[0]!.state, "orphaned");
  await assert.rejects(
    queue.settle(entry.id, { decision: "approve", by: "ana" }),
    (error) => isAppError(error, "approval.orphaned") && /no longer running/.test(error.message),
  );
  // A refresh says its thoth still waits: pending again.
  await queue.refresh(entry.id);
  assert.equal((await queue.list())[0]!.state, "pending");
  // Its pid alive, or unknown to ps: never orphaned, however quiet.
  clock += 10 * ORPHAN_QUIET_MS;
  for (const state of [true, undefined]) {
    alive = state;
    assert.equal((await queue.list())[0]!.state, "pending");
  }
  const answer = await queue.settle(entry.id, { decision: "approve", by: "ana" });
  assert.equal(answer.decision, "approve");
});

Deno.test("ApprovalQueue: a request from another PID namespace or boot is orphaned by its quiet time alone", async () => {
  const home = await tempFolder("thoth-orphan-");
  let clock = Date.now();
  // Whatever its pid names here (pid 1 is always running): it is not that thoth.
  const queue = await queueWithKeys(home, () => clock, () => true, () => HERE);
  const elsewhere = [
    { ...HERE, pidNamespace: "pid:[4026532999]" },
    { ...HERE, bootId: "00000000-0000-4000-8000-000000000000" },
    { pidNamespace: null, bootId: null },
    {},
  ];
  for (const where of elsewhere) await queue.submit({ ...facts(1), ...where });
  const states = async () => (await queue.list()).map((item) => item.state);
  clock += ORPHAN_QUIET_MS + 1_000;
  assert.deepEqual(await states(), ["pending", "pending", "pending", "pending"]);
  clock += ORPHAN_UNVERIFIED_QUIET_MS;
  assert.deepEqual(await states(), ["orphaned", "orphaned", "orphaned", "orphaned"]);
  const first = (await queue.list())[0]!.entry.id;
  await assert.rejects(
    queue.settle(first, { decision: "approve", by: "ana" }),
    (error) => isAppError(error, "approval.orphaned"),
  );
  // One that its thoth still refreshes waits, wherever it runs.
  await queue.refresh(first);
  assert.equal((await queue.list())[0]!.state, "pending");
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
    // The sandboxed thoth cannot read its PID namespace: its quiet time alone tells.
    await goQuiet(peer.home, id);
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

/** Makes `id`'s request file look untouched for longer than any orphan window. */
async function goQuiet(home: string, id: string): Promise<void> {
  const then = new Date(Date.now() - ORPHAN_UNVERIFIED_QUIET_MS - 1_000);
  await Deno.utime(`${home}/approvals/${id}.request.json`, then, then);
}

Deno.test({
  name: "thoth approvals refuses a request whose thoth ran in another PID namespace and died",
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
      peer.child.kill("SIGKILL");
      await peer.child.status;
    } finally {
      await peer.finish();
    }
    // What a thoth in a container writes: pid 1 there, which here is init, alive and
    // older than the request; its namespace unknown (as an older thoth wrote it too).
    const path = `${peer.home}/approvals/${id}.request.json`;
    const { pidNamespace: _ns, bootId: _boot, ...entry } = JSON.parse(
      await Deno.readTextFile(path),
    );
    await Deno.writeTextFile(path, JSON.stringify({ ...entry, pid: 1 }));
    const listed = await thothCli(peer.home, ["approvals", "list", "--json"]);
    assert.deepEqual(JSON.parse(listed.stdout).map((i: Json) => i.state), ["pending"]);
    await goQuiet(peer.home, id);
    const approve = await thothCli(peer.home, ["approvals", "approve", id]);
    assert.equal(approve.code, 1, approve.stdout);
    assert.match(approve.stderr, /was left by a thoth \(pid 1\)/);
    assert.doesNotMatch(approve.stdout, /approved/);
  },
});
