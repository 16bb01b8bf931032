/**
 * What the end-to-end tests of a session's `session_start` record share:
 * one session through the real `thoth run` and server-everything, the
 * `session_start` records of the audit log it wrote, and the real `thoth`
 * CLI run on that log.
 */
import assert from "node:assert/strict";
import { readLogLines } from "../../src/audit/read_records.ts";
import { auditPaths } from "../../src/audit/log_paths.ts";
import { connect, everythingArgv, testEnv, thothArgv, throughThoth } from "./_harness.ts";

/** One session through thoth (block mode): initialize, one echo call, close. */
export async function oneSession(env: Record<string, string>): Promise<void> {
  const connected = await connect(
    throughThoth(everythingArgv(), ["--agent-id", "everything", "--enforcement-mode", "block"]),
    {},
    env,
  );
  try {
    const answer = await connected.client.callTool({
      name: "echo",
      arguments: { message: "hi" },
    });
    assert.match(JSON.stringify(answer), /Echo: hi/, connected.stderr());
  } finally {
    await connected.close();
  }
}

/** Runs the real `thoth` CLI with `env`: its exit code and output. */
export async function thoth(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  const [command, ...rest] = thothArgv(args);
  const output = await new Deno.Command(command!, {
    args: rest,
    env: testEnv(env),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, out: text(output.stdout), err: text(output.stderr) };
}

/** The `session_start` records of the audit log under `thothHome`. */
export async function sessionStarts(thothHome: string): Promise<Record<string, unknown>[]> {
  const lines = await readLogLines(auditPaths(thothHome).dir);
  return lines.flatMap((l) => l.record?.["type"] === "session_start" ? [l.record] : []);
}
