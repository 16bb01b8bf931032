/**
 * A profile with a real audit log, made by the real `thoth run` governing
 * the real server-memory over one `tools/call`, and copies of it for tests
 * to break one file of; plus that one session, to run again on a copy.
 */
import assert from "node:assert/strict";
import { memoryArgv, RawPeer, testEnv, throughThoth } from "../e2e/_harness.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** What one governed session answered the `tools/call`, and what it wrote to stderr. */
export interface SessionResult {
  readonly response: Record<string, unknown>;
  readonly stderr: string;
}

/**
 * One session of `thoth run --enforcement-mode MODE` in front of
 * server-memory, with THOTH_HOME `home` (HOME beside it): initialize, one
 * `tools/call` of `read_graph`, then the client's EOF.
 */
export async function memorySession(home: string, mode: string): Promise<SessionResult> {
  const peer = new RawPeer(
    throughThoth(memoryArgv(), ["--agent-id", "memory", "--enforcement-mode", mode]),
    testEnv({ THOTH_HOME: home, HOME: `${home}-user` }),
  );
  let response: Record<string, unknown>;
  try {
    await peer.send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "thoth-test", version: "1.0.0" },
      },
    });
    await peer.responseTo(1, 60_000);
    await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await peer.send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "read_graph", arguments: {} },
    });
    response = await peer.responseTo(2, 60_000);
  } finally {
    await peer.finish();
  }
  // Read after the exit: thoth's notes may come after the answer they are about.
  return { response, stderr: peer.stderr };
}

/** Whether the session's answer to the call is a refusal (a tool result with isError). */
export function refused(result: SessionResult): boolean {
  const value = result.response["result"] as { isError?: boolean } | undefined;
  return value?.isError === true;
}

let template: Promise<string> | undefined;

/**
 * A fresh profile after one real governed session (made once per test
 * module): its log holds records, its keys were made by that session.
 */
export function governedProfile(): Promise<string> {
  template ??= (async () => {
    const home = `${await tempFolder("thoth-governed-")}/home`;
    await Deno.mkdir(home, { mode: 0o700 });
    const first = await memorySession(home, "block");
    assert.ok(!refused(first), first.stderr);
    return home;
  })();
  return template;
}

/**
 * A copy of {@linkcode governedProfile} in a new folder under `root` (a
 * fresh temp folder when absent), 0700, owned by `owner` when given.
 */
export async function copyOfGovernedProfile(
  root?: string,
  owner?: { uid: number; gid: number },
): Promise<string> {
  const from = await governedProfile();
  const home = `${root ?? await tempFolder("thoth-governed-copy-")}/home`;
  const copy = await new Deno.Command("cp", { args: ["-a", from, home] }).output();
  assert.ok(copy.success, new TextDecoder().decode(copy.stderr));
  await Deno.chmod(home, 0o700);
  if (owner !== undefined) {
    const chown = await new Deno.Command("chown", {
      args: ["-R", `${owner.uid}:${owner.gid}`, home],
    }).output();
    assert.ok(chown.success, new TextDecoder().decode(chown.stderr));
  }
  return home;
}
