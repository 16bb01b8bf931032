/**
 * A real `thoth run` session in front of server-everything, watched through
 * its decision spool: echo calls, the spool's open files, a wait until a
 * decision has left the spool for the log, and `thoth audit verify` run on
 * the profile afterwards. For the tests of decisions a session could not
 * write on time. Everything reads the THOTH_HOME a test passes (a temp
 * folder).
 *
 * @example
 * ```ts
 * const peer = new RawPeer(throughThoth(everythingArgv(), flags), testEnv({ THOTH_HOME: home }));
 * await oneDecisionLogged(peer, home);
 * await peer.send(echoCall(3));
 * ```
 */
import assert from "node:assert/strict";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import {
  everythingArgv,
  initializeRequest,
  RawPeer,
  testEnv,
  thothArgv,
  throughThoth,
} from "../e2e/_harness.ts";
import { profileWithRules } from "../e2e/_governed.ts";

/** A `tools/call` of server-everything's `echo` under `id`. */
export function echoCall(id: number, message = `call ${id}`) {
  return {
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "echo", arguments: { message } },
  };
}

/** The spool folder's `.jsonl` files (a session's open or waiting ones); none without the folder. */
export function spoolFiles(home: string): string[] {
  try {
    return [...Deno.readDirSync(DecisionSpool.dir(home))].map((e) => e.name)
      .filter((name) => name.endsWith(".jsonl"));
  } catch {
    return [];
  }
}

/** Waits (at most 30 s) until `done` says true. */
export async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(done(), what);
}

/**
 * Opens the session `peer` speaks to (initialize under id 1) and makes one
 * echo call (id 2, `message`), answered; resolves once its decision is in
 * the log (the spool file is gone).
 */
export async function oneDecisionLogged(
  peer: RawPeer,
  home: string,
  message?: string,
): Promise<void> {
  await peer.send(initializeRequest(1));
  await peer.responseTo(1, 60_000);
  await peer.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await peer.send(echoCall(2, message));
  assert.ok("result" in await peer.responseTo(2, 30_000), peer.stderr);
  await until(() => spoolFiles(home).length === 0, "the first decision reaches the log");
}

/**
 * A governed profile under `dir` (no rules) whose audit log and device keys
 * a first session made (one echo call, logged), and the argv of `thoth run`
 * in `mode` in front of server-everything for it: the start of the tests of
 * a session that cannot write its log.
 */
export async function loggedProfile(
  dir: string,
  mode: string,
): Promise<{ home: string; argv: string[] }> {
  const home = await profileWithRules(dir, []);
  const flags = ["--agent-id", "everything", "--enforcement-mode", mode];
  const argv = throughThoth(everythingArgv(), flags);
  const first = new RawPeer(argv, testEnv({ THOTH_HOME: home }));
  try {
    await oneDecisionLogged(first, home, "before");
  } finally {
    await first.finish();
  }
  return { home, argv };
}

/** Runs `thoth audit verify` on the profile `home`: its exit code, and its stdout then stderr. */
export async function auditVerify(home: string): Promise<{ code: number; said: string }> {
  const [command, ...args] = thothArgv(["audit", "verify"]);
  const verified = await new Deno.Command(command!, {
    args,
    env: testEnv({ THOTH_HOME: home }),
    stdin: "null",
  }).output();
  const said = new TextDecoder().decode(verified.stdout) +
    new TextDecoder().decode(verified.stderr);
  return { code: verified.code, said };
}
