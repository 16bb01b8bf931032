/**
 * The sandboxed core gives up running programs as soon as it has tried to
 * start its server, whatever came of it, and before it answers a refusal: a
 * core subverted while it keeps answering its client after a failed spawn,
 * or after refusing a session, cannot run the server's command either.
 */
import assert from "node:assert/strict";
import { DENO, faultArgv, initializeRequest, sandboxProbe, tempDir, testEnv } from "./_harness.ts";
import { readProbeReport } from "../fixtures/sandbox/probe_report.ts";

/** Runs a session that is refused; returns the client's answer and the core's report. */
async function refusedSession(
  probe: Record<string, unknown>,
  command: string,
  env?: Record<string, string>,
): Promise<{ answer: Record<string, unknown>; report: Record<string, string> }> {
  const peer = sandboxProbe(
    { worker: "run_grant_worker.ts", upstream: command, ...probe },
    [command],
    testEnv(env),
  );
  try {
    await peer.send(initializeRequest(1));
    const answer = await peer.responseTo(1);
    await peer.finish();
    return { answer, report: readProbeReport(peer.stderr, "run-grant") };
  } finally {
    await peer.finish();
  }
}

Deno.test("a core whose server could not be started answers its client without the permission to run it", async () => {
  await using home = await tempDir("thoth-home-");
  // A script that names itself as its interpreter: it passes every check before the
  // spawn, and the system refuses to start it (too many levels of interpreters).
  const upstream = `${home.path}/loop`;
  await Deno.writeTextFile(upstream, `#!${upstream}\n`, { mode: 0o755 });
  const { answer, report } = await refusedSession({ thothHome: home.path }, upstream);
  assert.match(JSON.stringify(answer["error"]), /could not start the MCP server/);
  assert.notEqual(report["state"], "granted");
  assert.match(report["rerun"] ?? "", /^NotCapable: Requires run access/);
});

Deno.test("a core whose server's environment sets LD_* starts it, then may run nothing", async () => {
  await using home = await tempDir("thoth-home-");
  // Deno spawns with a loader variable set only under a grant to run any program: the
  // core gets one for its spawn, and gives it up before it writes anything to its client.
  const peer = sandboxProbe(
    { worker: "run_grant_worker.ts", upstream: DENO, thothHome: home.path },
    faultArgv(),
    testEnv({ LD_BIND_NOW: "1", ld_library_path: "/nonexistent" }),
  );
  try {
    await peer.send(initializeRequest(1));
    const answer = await peer.responseTo(1);
    assert.ok(answer["result"] !== undefined, JSON.stringify(answer));
    await peer.finish();
    const report = readProbeReport(peer.stderr, "run-grant");
    assert.notEqual(report["state"], "granted");
    assert.match(report["rerun"] ?? "", /^NotCapable: Requires run access/);
    assert.doesNotMatch(peer.stderr, /loader|LD_BIND_NOW/);
  } finally {
    await peer.finish();
  }
});

Deno.test("a core that refuses to govern gives up the permission to run before it answers", async () => {
  await using home = await tempDir("thoth-home-");
  const enforcer = {
    kind: "local",
    // A policy the core cannot compile: a progressive window that is no duration.
    policy: {
      version: 1,
      default: "allow",
      rules: [],
      progressive: { window: "a while", stepUpAfter: 1, blockAfter: 2 },
    },
    policyHash: "0".repeat(64),
    mode: "block",
    userId: "tester",
    thothHome: home.path,
    auditSync: "default",
    session: "s-refused",
    approvalTimeoutMs: 1000,
    approvalEnv: {},
    dialogTools: {},
  };
  const { answer, report } = await refusedSession({ thothHome: home.path, enforcer }, DENO);
  assert.match(JSON.stringify(answer["error"]), /thoth cannot govern this server/);
  assert.notEqual(report["state"], "granted");
  assert.match(report["rerun"] ?? "", /^NotCapable: Requires run access/);
});
