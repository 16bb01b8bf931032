// The set-up the state-MAC tests share: sessions as one `thoth run` of this
// release writes them (its own writer, closed after), and the log cut back
// to an earlier count with the checkpoint notes past it removed.
import { openAuditLog } from "../../src/audit/audit_log.ts";
import { readLines, segmentPath, steppingClock, writeLines } from "./_log_helpers.ts";

/** How a session is written besides its calls. */
export interface SessionOptions {
  /** Sign a checkpoint right after the session's start. */
  checkpointFirst?: boolean;
  /** Called after each call's decision is written. */
  afterEach?: () => Promise<void>;
  /** The writer's segment size (see `OpenAuditLogOptions`). */
  maxSegmentBytes?: number;
}

/**
 * One session of `calls` decisions under `home`, at `clock` (a start time,
 * one second a reading, or a clock), as one `thoth run` of this release
 * writes it.
 */
export async function thisReleaseSession(
  home: string,
  name: string,
  calls: number,
  clock: string | (() => Date),
  options: SessionOptions = {},
): Promise<void> {
  const log = await openAuditLog({
    thothHome: home,
    now: typeof clock === "string" ? steppingClock(clock) : clock,
    ...(options.maxSegmentBytes === undefined ? {} : { maxSegmentBytes: options.maxSegmentBytes }),
  });
  try {
    await log.append({
      type: "session_start",
      session: name,
      server: "fs",
      commandDigest: "ab".repeat(32),
      envKeys: [],
    });
    if (options.checkpointFirst) await log.checkpoint();
    for (let c = 0; c < calls; c++) {
      await log.append({
        type: "decision",
        session: name,
        server: "fs",
        tool: "read_file",
        decisionId: `${name}-d-${c}`,
        verdict: "allow",
        ruleIds: [],
        mode: "block",
        policyHash: "cd".repeat(32),
        intent: null,
        args: await log.redact({ path: `/data/${c}.txt` }),
      });
      await options.afterEach?.();
    }
    await log.append({ type: "session_end", session: name, exitCode: 0, signal: null });
  } finally {
    await log.close();
  }
}

/** Cuts the log (one segment) to its first `keep` records and removes the checkpoint notes past them. */
export async function cutTo(home: string, keep: number): Promise<void> {
  const path = await segmentPath(home, -1);
  await writeLines(path, (await readLines(path)).slice(0, keep));
  for await (const entry of Deno.readDir(`${home}/audit/checkpoints`)) {
    const size = Number(/^cp-(\d+)\.note$/.exec(entry.name)?.[1] ?? "0");
    if (size > keep) await Deno.remove(`${home}/audit/checkpoints/${entry.name}`);
  }
}
