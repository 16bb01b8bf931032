/**
 * The sandbox's watchdog when the proxy core does not stop after SIGTERM
 * while another process holds the audit log's lock: its stderr line names
 * the lock (what is held, its file under the profile) and the remedy, not
 * only a client that may have stopped reading. A real `thoth run` in front
 * of the fault server: the client stops reading a 4 MiB answer (the core's
 * blocking write to it holds the core, so the watchdog must end thoth) while
 * a real process holds `audit/.lock` (see `_hold_lock.ts`), so the call's
 * records wait for it. Before, the line blamed the client alone. Temp
 * THOTH_HOME only.
 */
import assert from "node:assert/strict";
import { faultArgv, initializeRequest, tempDir, testEnv, thothArgv } from "./_harness.ts";
import { profileWithRules } from "./_governed.ts";
import { holdLock } from "../_hold_lock.ts";

const GRACE_MS = 200;

/** Longer than thoth can run here: the holder outlives the session. */
const HOLD_AT_MOST = 90_000;

Deno.test("a core that does not stop after SIGTERM while another process holds the audit lock: the watchdog names the lock, its file and the remedy", async () => {
  if (Deno.build.os === "windows") return;
  await using dir = await tempDir("thoth-stuck-lock-");
  const home = await profileWithRules(dir.path, []);
  const lockPath = `${home}/audit/.lock`;
  // --ignore-eof: the server must not leave by itself when thoth's end of its stdin closes.
  const [deno, ...args] = thothArgv([
    "run",
    "--agent-id",
    "stuck-lock",
    "--enforcement-mode",
    "observe",
    "--shutdown-grace-ms",
    String(GRACE_MS),
    "--",
    ...faultArgv(["--ignore-eof"]),
  ]);
  const child = new Deno.Command(deno!, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: testEnv({ THOTH_HOME: home, HOME: dir.path }),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  const send = (value: unknown) =>
    writer.write(new TextEncoder().encode(JSON.stringify(value) + "\n"));
  const reader = child.stdout.getReader();
  let holder: Awaited<ReturnType<typeof holdLock>> | undefined;
  try {
    // The answer to initialize: the session's log is open (its start took the lock and let go).
    await send(initializeRequest(1));
    let seen = "";
    while (!seen.includes("\n")) {
      const { value, done } = await reader.read();
      assert.ok(!done, "thoth closed its output before answering initialize");
      seen += new TextDecoder().decode(value);
    }
    holder = await holdLock(lockPath, HOLD_AT_MOST);
    // The call's records wait for the lock; its 4 MiB answer fills the pipe no one reads.
    await send({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "huge", arguments: { bytes: 4 * 1024 * 1024 } },
    });
    // A pause (no measure of anything) for the answer to reach the core and block its write.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    child.kill("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const status = await Promise.race([
      child.status,
      new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), 30_000)),
    ]).finally(() => clearTimeout(timer));
    assert.ok(status !== undefined, "thoth was still running 30 s after SIGTERM");
    assert.equal(status.code, 143);
    const text = await stderr;
    const quoted = JSON.stringify(lockPath).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    assert.match(
      text,
      new RegExp(
        `thoth: the proxy core did not stop ${3 * GRACE_MS + 5000} ms after SIGTERM ` +
          `\\(the audit log's lock ${quoted} is held by another process [^\\n]*; killing the ` +
          `MCP server \\(pid \\d+\\) and exiting\\nthoth: hint: to see which process holds it, ` +
          `run: (fuser -v|lsof) ${quoted}[^\\n]*resume it`,
      ),
      text,
    );
  } finally {
    await holder?.release();
    await writer.close().catch(() => {});
    await reader.cancel().catch(() => {});
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await child.status;
    await stderr.catch(() => "");
  }
});
