/**
 * `waiterAlive()`: whether the thoth that queued an approval request still
 * waits for its answer. A request outlives a thoth killed while it waited
 * (SIGKILL, a crash): nothing reads its answer then, and approving it would
 * only tell the person a call ran that never will. `ps` says so on Linux
 * and macOS: no process has the pid, or the one that has it started after
 * the request was queued (the pid was reused). Where that cannot be learned
 * (Windows, no permission to run `ps`, a `ps` without these options), the
 * answer is `undefined`: not known, and the request counts as waiting.
 * (Deno lets only a fully privileged process read `/proc`, so `ps` it is.)
 * A pid names the same process only in the same PID namespace and boot: a
 * thoth in a container may be pid 1 there, and pid 1 here is always
 * running. So `ApprovalQueue` asks this only of a request that records the
 * reader's own namespace and boot (see `host_identity.ts`), and decides any
 * other by how long its file went without a refresh.
 *
 * @example
 * ```ts
 * await waiterAlive(entry.pid, entry.createdAt); // true, false, or undefined when it cannot tell
 * ```
 */
import { psField } from "../platform/ps_field.ts";

/** Slack for `ps`'s whole seconds and the time between the start and the request. */
const START_SLACK_MS = 2_000;

/** Whether process `pid`, which queued a request at `createdAt` (epoch ms), still runs. */
export async function waiterAlive(
  pid: number,
  createdAt: number,
  os: string = Deno.build.os,
  now: () => number = Date.now,
): Promise<boolean | undefined> {
  if (os === "windows" || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const text = await psField(pid, "etime");
  if (text === undefined) return undefined;
  if (text === "gone") return false;
  const elapsed = elapsedSeconds(text);
  if (elapsed === undefined) return undefined;
  return now() - elapsed * 1000 <= createdAt + START_SLACK_MS;
}

/** `ps`'s elapsed time, `[[dd-]hh:]mm:ss`, in seconds; undefined when it is not one. */
export function elapsedSeconds(text: string): number | undefined {
  const match = /^(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+)$/.exec(text);
  if (match === null) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes)) * 60 +
    Number(seconds);
}
