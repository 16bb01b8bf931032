/**
 * What the sandbox's watchdog says when the proxy core has not stopped in
 * time after a signal (see `start_sandboxed_proxy.ts`). A core stops at once
 * when its records wait for the audit log's lock (the stop ends the wait),
 * so a core that does not is held by something else: most often a client
 * that stopped reading thoth's output. But when another process holds the
 * audit log's lock then, the core's records were waiting for it too, and
 * the person who must act needs that lock's name, its file under the profile
 * and how to free it, not only a word on the client. This thread checks the
 * lock itself ({@linkcode heldByAnotherProcess}: a try that never waits), and
 * does not take the core's word for it.
 *
 * @example
 * ```ts
 * const lock = heldByAnotherProcess(auditPaths(home).lock) ? auditPaths(home).lock : undefined;
 * for (const line of stuckCoreLines({ waitedMs: 5600, signal: "SIGTERM", lock })) note(line);
 * ```
 */
import { lockHolderCommand } from "../platform/take_lock_patiently.ts";

/** What the watchdog knows when it fires. */
export interface StuckCore {
  /** How long it waited after the signal. */
  readonly waitedMs: number;
  /** The signal the core was asked to stop on. */
  readonly signal: string;
  /** The server's pid, when this thread vouched for it and kills it. */
  readonly serverPid?: number;
  /** The audit log's lock file, when another process holds it now. */
  readonly lock?: string;
  /** The OS the hint's command is for. */
  readonly os?: typeof Deno.build.os;
}

/** The watchdog's stderr lines (without prefix): what held the core, then what to do about it. */
export function stuckCoreLines(stuck: StuckCore): string[] {
  const why = stuck.lock === undefined
    ? "its client may have stopped reading thoth's output"
    : `the audit log's lock "${stuck.lock}" is held by another process (another thoth ` +
      `session writing, a "thoth audit export", or a thoth process that was stopped, as with ` +
      "Ctrl-Z), and the session's audit records may be waiting for it; or its client may " +
      "have stopped reading thoth's output";
  const first =
    `the proxy core did not stop ${stuck.waitedMs} ms after ${stuck.signal} (${why}); ` +
    (stuck.serverPid === undefined ? "" : `killing the MCP server (pid ${stuck.serverPid}) and `) +
    "exiting";
  if (stuck.lock === undefined) return [first];
  return [
    first,
    `hint: ${lockHolderCommand(stuck.lock, stuck.os)}; a stopped process holds it until it ` +
    'goes on or ends: resume it ("fg", or "kill -CONT PID") or end it, or no session on this ' +
    "profile can write its audit log",
  ];
}

/**
 * Whether a process other than this thread holds the lock file at `path`
 * now: one try that never waits, let go at once when it takes the lock.
 * False when there is no such file (nothing is made) or it cannot be opened.
 * The core of this process holds it through a file of its own, so its hold
 * counts too; it holds it only while it writes a batch, which a core that
 * did not stop is not doing.
 */
export function heldByAnotherProcess(path: string): boolean {
  let file: Deno.FsFile;
  try {
    if (!Deno.lstatSync(path).isFile) return false;
    file = Deno.openSync(path, { read: true, write: true });
  } catch {
    return false;
  }
  try {
    if (!file.tryLockSync(true)) return true;
    file.unlockSync();
    return false;
  } catch {
    return false;
  } finally {
    file.close();
  }
}
