/**
 * The thread that starts the sandboxed core believes what the core says of
 * the server's process only as far as it can check it: a subverted core
 * cannot have it signal a process that is not its server (here a process of
 * the test's own), nor send the server any signal but SIGTERM and SIGKILL.
 * (-1, 0 and thoth's own pid are refused too: see `server_signaller_test.ts`;
 * a host that failed to refuse them would signal the test runner.)
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, type RawPeer, sandboxProbe, tempDir } from "./_harness.ts";

const IGNORED = /warning: the sandboxed proxy core .*; ignored, as is anything more of the kind/;

/** Starts a session whose core lies as `how` says (see `claim_pid_worker.ts`). */
function lyingSession(home: string, how: string, victim: number): RawPeer {
  const probe = { worker: "claim_pid_worker.ts", thothHome: home, mode: "observe", how, victim };
  return sandboxProbe(probe, faultArgv());
}

/** Whether `child` still runs `ms` from now. */
async function stillRuns(child: Deno.ChildProcess, ms = 300): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    child.status.then((status) => `exited (${status.signal ?? status.code})`),
    new Promise<string>((resolve) => timer = setTimeout(() => resolve("runs"), ms)),
  ]).finally(() => clearTimeout(timer));
  return outcome === "runs";
}

async function withVictim(work: (victim: Deno.ChildProcess) => Promise<void>): Promise<void> {
  const victim = new Deno.Command("sleep", { args: ["60"] }).spawn();
  try {
    await work(victim);
  } finally {
    try {
      victim.kill("SIGKILL");
    } catch {
      // Already gone (the failure this test looks for).
    }
    await victim.status;
  }
}

async function echo(peer: RawPeer): Promise<void> {
  await peer.send(initializeRequest(1));
  await peer.responseTo(1, 5000);
  await peer.send({
    jsonrpc: "2.0",
    id: 2,
    method: "tools/call",
    params: { name: "echo", arguments: { x: 1 } },
  });
  assert.match(JSON.stringify(await peer.responseTo(2, 5000)), /echo: \{\\"x\\":1\}/);
}

Deno.test("a core that names another process as its server cannot have it signalled", async () => {
  await using home = await tempDir("thoth-home-");
  await withVictim(async (victim) => {
    const peer = lyingSession(home.path, "replace", victim.pid);
    try {
      await echo(peer);
      assert.equal((await peer.finish()).code, 0, peer.stderr);
      assert.ok(await stillRuns(victim), "the process the core named was not signalled");
      assert.match(peer.stderr, IGNORED);
      assert.match(
        peer.stderr,
        new RegExp(`named process ${victim.pid} as its MCP server, but it is not a child of thoth`),
      );
    } finally {
      await peer.finish();
    }
  });
});

Deno.test("only the core's first word on its server's process counts", async () => {
  await using home = await tempDir("thoth-home-");
  await withVictim(async (victim) => {
    const peer = lyingSession(home.path, "second", victim.pid);
    try {
      await peer.send(initializeRequest(1));
      // The SIGKILL it asked for reaches its real server, whose exit ends the session.
      await peer.responseTo(1, 5000);
      assert.equal(await peer.nextLine(5000), undefined, "thoth ended with its server");
      await peer.finish();
      assert.match(peer.stderr, /the MCP server exited with signal SIGKILL/);
      assert.ok(await stillRuns(victim), "the second pid named was not signalled");
      assert.match(peer.stderr, IGNORED);
      assert.match(peer.stderr, /named a second process \(\d+\) as its MCP server/);
    } finally {
      await peer.finish();
    }
  });
});

Deno.test("a core may ask for SIGTERM and SIGKILL only", async () => {
  await using home = await tempDir("thoth-home-");
  const peer = lyingSession(home.path, "signal", 0);
  try {
    // A server stopped by SIGSTOP would never answer.
    await echo(peer);
    assert.equal((await peer.finish()).code, 0, peer.stderr);
    assert.match(
      peer.stderr,
      /asked for "SIGSTOP" to its MCP server, but only SIGTERM and SIGKILL/,
    );
  } finally {
    await peer.finish();
  }
});
