import assert from "node:assert/strict";
import { ServerSignaller } from "../../src/proxy/server_signaller.ts";
import {
  MAX_PID,
  type ParentPid,
  parentPidOfPs,
  serverPidProblem,
  UNCHECKED,
} from "../../src/proxy/server_pid_problem.ts";
import { psParentOf } from "../../src/proxy/server_signaller.ts";

const SELF = 4000;

Deno.test("serverPidProblem() refuses groups, odd values, thoth itself and other parents' children", () => {
  for (const pid of [-1, 0, 1, -4100, 1.5, NaN, Infinity, 2 ** 53, "4100", null, undefined]) {
    assert.equal(
      serverPidProblem(pid, SELF),
      "it is not a process id from 2 to 4194304",
      String(pid),
    );
  }
  assert.equal(serverPidProblem(SELF, SELF), "it is thoth's own");
  assert.equal(
    serverPidProblem(4100, SELF, 1),
    "it is not a child of thoth (its parent is 1)",
  );
  assert.equal(serverPidProblem(4100, SELF, "gone"), "no such process is running");
  assert.equal(serverPidProblem(4100, SELF, SELF), undefined);
  assert.match(serverPidProblem(4100, SELF, "unknown") ?? "", /cannot tell whose child/);
});

Deno.test("parentPidOfPs() reads the one number ps prints", () => {
  assert.equal(parentPidOfPs("  4000\n"), 4000);
  assert.equal(parentPidOfPs(""), undefined);
  assert.equal(parentPidOfPs("PPID\n 4000\n"), undefined);
});

/** A signaller over a fake process table; returns what it sent and noted. */
function fake(parents: Map<number, ParentPid>) {
  const sent: string[] = [];
  const notes: string[] = [];
  const signaller = new ServerSignaller(
    (message) => notes.push(message),
    SELF,
    (pid) => Promise.resolve(parents.get(pid) ?? "gone"),
    (pid, signal) => sent.push(`${signal} ${pid}`),
  );
  return { signaller, sent, notes };
}

Deno.test("ServerSignaller believes the first pid the core names, for its own child only", async () => {
  const parents = new Map<number, ParentPid>([[4100, SELF], [4200, SELF], [999, 1]]);
  const { signaller, sent, notes } = fake(parents);
  signaller.spawned(4100);
  signaller.spawned(4200);
  await signaller.signal("SIGTERM");
  assert.deepEqual(sent, ["SIGTERM 4100"]);
  assert.equal(notes.length, 1);
  assert.match(
    notes[0]!,
    /^warning: the sandboxed proxy core named a second process \(4200\) as its MCP server; ignored/,
  );

  const other = fake(parents);
  other.signaller.spawned(999);
  await other.signaller.signal("SIGKILL");
  assert.deepEqual(other.sent, []);
  assert.match(
    other.notes[0]!,
    /named process 999 as its MCP server, but it is not a child of thoth \(its parent is 1\)/,
  );

  for (const pid of [-1, 0, SELF]) {
    const refused = fake(parents);
    refused.signaller.spawned(pid);
    await refused.signaller.signal("SIGKILL");
    await refused.signaller.kill("SIGKILL");
    assert.deepEqual(refused.sent, [], String(pid));
    assert.equal(refused.notes.length, 1);
  }
});

Deno.test("ServerSignaller sends only SIGTERM and SIGKILL, and notes the rest once", async () => {
  const { signaller, sent, notes } = fake(new Map([[4100, SELF]]));
  signaller.spawned(4100);
  await signaller.signal("SIGSTOP");
  await signaller.signal({ toString: () => "SIGKILL" });
  await signaller.signal("SIGKILL");
  assert.deepEqual(sent, ["SIGKILL 4100"]);
  assert.equal(notes.length, 1);
  assert.match(
    notes[0]!,
    /asked for "SIGSTOP" to its MCP server, but only SIGTERM and SIGKILL are sent/,
  );
});

Deno.test("ServerSignaller signals nothing once the server exited, or its pid went to another process", async () => {
  const parents = new Map<number, ParentPid>([[4100, SELF]]);
  const { signaller, sent, notes } = fake(parents);
  signaller.spawned(4100);
  signaller.exited();
  await signaller.kill("SIGKILL");
  assert.deepEqual(sent, []);

  const reused = fake(parents);
  reused.signaller.spawned(4100);
  await reused.signaller.kill("SIGTERM");
  parents.set(4100, 1); // The server went, and its pid now names someone else's process.
  await reused.signaller.kill("SIGKILL");
  assert.deepEqual(reused.sent, ["SIGTERM 4100"]);
  assert.match(
    reused.notes[0]!,
    /^warning: not sending SIGKILL to process 4100: it is no longer the MCP server \(it is not a child of thoth \(its parent is 1\)\)$/,
  );
  assert.deepEqual(notes, []);
});

Deno.test("serverPidProblem() refuses pids past the largest any system gives out (Deno.kill cuts to 32 bits)", () => {
  assert.equal(serverPidProblem(MAX_PID, SELF, SELF), undefined);
  for (const pid of [MAX_PID + 1, 4100 + 2 ** 32, 2 ** 32 - 1, 2 ** 31, 4295000015]) {
    assert.equal(serverPidProblem(pid, SELF, SELF), "it is not a process id from 2 to 4194304");
  }
  assert.equal(serverPidProblem(4100, SELF, "unchecked"), UNCHECKED);
});

Deno.test("ServerSignaller signals no pid whose parent ps cannot tell, warns once, and says it will not", async () => {
  const { signaller, sent, notes } = fake(new Map<number, ParentPid>([[4100, "unknown"]]));
  assert.equal(await signaller.spawned(4100), false);
  await signaller.signal("SIGTERM");
  await signaller.kill("SIGKILL");
  assert.deepEqual(sent, []);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /cannot tell whether process 4100, .* is its child \(ps could not say\)/);
  assert.doesNotMatch(notes[0]!, /subverted/, "a missing ps is no sign of a subverted core");
  assert.equal(signaller.unvouched, 4100, "named to a person if thoth must leave it running");
  signaller.exited();
  assert.equal(signaller.unvouched, undefined);

  const huge = fake(new Map<number, ParentPid>([[4100, SELF]]));
  assert.equal(await huge.signaller.spawned(4100 + 2 ** 32), false);
  await huge.signaller.signal("SIGKILL");
  assert.deepEqual(huge.sent, []);
  assert.equal(huge.notes.length, 1);

  // Where no parent can be read (Windows): nothing signalled, nothing to warn about.
  const windows = fake(new Map<number, ParentPid>([[4100, "unchecked"]]));
  assert.equal(await windows.signaller.spawned(4100), false);
  await windows.signaller.kill("SIGKILL");
  assert.deepEqual(windows.sent, []);
  assert.deepEqual(windows.notes, []);
  assert.equal(windows.signaller.unvouched, 4100);

  const child = fake(new Map<number, ParentPid>([[4100, SELF]]));
  assert.equal(await child.signaller.spawned(4100), true);
  assert.equal(child.signaller.unvouched, undefined);
  await child.signaller.signal("SIGTERM");
  assert.deepEqual(child.sent, ["SIGTERM 4100"]);
});

Deno.test("psParentOf() answers unknown for a pid ps refuses, and unchecked on Windows", async () => {
  assert.equal(await psParentOf("windows")(4100), "unchecked");
  if (Deno.build.os === "windows") return;
  assert.equal(await psParentOf(Deno.build.os)(4295000015), "unknown");
  assert.equal(await psParentOf(Deno.build.os)(Deno.pid), Deno.ppid);
});
