/**
 * Writes a synthetic audit log of `count` chained records (sessions of
 * decisions, outcomes, approvals and cancellations, as `thoth run` writes
 * them) for the tests and the measurements of `thoth audit show` over a
 * large log. Every record names the leaf hash of the line before it, so
 * `show` finds every link intact. The records are dated `start` plus one
 * second each, and split into segments of at most `segmentBytes`.
 *
 * @example
 * ```ts
 * await writeSyntheticLog(`${home}/audit`, { count: 300_000 });
 * ```
 */
import { encodeRecordLine, GENESIS_PREV } from "../../src/audit/record.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { leafHashSync } from "../../src/audit/merkle_hash.ts";
import { toHex } from "../../src/audit/encoding.ts";
import { segmentName } from "../../src/audit/log_paths.ts";

/** How the log is laid out. */
export interface SyntheticLogOptions {
  count: number;
  /** The first record's time (default 2026-01-01T00:00:00Z). */
  start?: Date;
  /** Records per session (default 200). */
  perSession?: number;
  /** A new segment past this size (default 64 MiB, as the writer's). */
  segmentBytes?: number;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** The event of record `i`, the `k`th of its session `s`. */
function eventOf(i: number, s: number, k: number): AuditEvent {
  const session = `s-${hex(s, 12)}`;
  const server = `server-${s % 7}`;
  if (k === 0) {
    return {
      type: "session_start",
      session,
      server,
      commandDigest: hex(s, 64),
      envKeys: ["PATH", "HOME"],
      mode: "enforce",
      userId: `user${s % 5}@example.com`,
    };
  }
  const call = Math.floor((k - 1) / 2);
  const decisionId = `d-${hex(s * 1000 + call, 16)}`;
  if (k % 2 === 1) {
    const verdict = call % 10 === 3 ? "block" : call % 10 === 7 ? "step_up" : "allow";
    return {
      type: "decision",
      session,
      server,
      tool: `tool_${call % 13}`,
      decisionId,
      verdict,
      ruleIds: verdict === "allow" ? [] : [`rule-${call % 4}`],
      reasons: verdict === "allow" ? [] : [`rule "rule-${call % 4}": matched path "/etc/x${i}"`],
      mode: "enforce",
      policyHash: hex(i, 64),
      intent: null,
      effect: verdict === "block"
        ? "blocked"
        : verdict === "step_up"
        ? "approval_requested"
        : "forwarded",
      requestId: i,
      args: { kind: "object", keys: ["path", "message"], bytes: 120 + (i % 50) } as never,
    };
  }
  if (call % 10 === 7) {
    return {
      type: "approval",
      session,
      decisionId,
      channel: "dialog",
      approver: `ana${s % 3}`,
      outcome: "approved",
      scope: "once",
      latencyMs: 1000 + (i % 700),
    };
  }
  if (call % 10 === 3) {
    return { type: "cancellation", session, decisionId, reason: "client cancelled" };
  }
  return {
    type: "outcome",
    session,
    decisionId,
    isError: i % 17 === 0,
    durationMs: (i % 300) / 3,
    response: { digest: hex(i * 7, 64), bytes: 200 + (i % 1000) },
  };
}

/** Writes the log into `dir` (created), one segment file after another. */
export async function writeSyntheticLog(dir: string, options: SyntheticLogOptions): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const start = (options.start ?? new Date("2026-01-01T00:00:00Z")).getTime();
  const perSession = options.perSession ?? 200;
  const segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
  const encoder = new TextEncoder();
  const scratch = new Uint8Array(32);
  let prev = GENESIS_PREV;
  let file: Deno.FsFile | undefined;
  let written = 0;
  let parts: Uint8Array[] = [];
  let pending = 0;
  const flush = async () => {
    for (const part of parts) await file!.write(part);
    parts = [];
    pending = 0;
  };
  try {
    for (let i = 0; i < options.count; i++) {
      const ts = new Date(start + i * 1000).toISOString();
      if (file === undefined || written >= segmentBytes) {
        if (file !== undefined) await flush();
        file?.close();
        file = await Deno.open(`${dir}/${segmentName(i, ts.slice(0, 10))}`, {
          write: true,
          createNew: true,
        });
        written = 0;
      }
      const event = eventOf(i, Math.floor(i / perSession), i % perSession);
      const bytes = encoder.encode(encodeRecordLine({ v: 1, seq: i, ts, prev }, event));
      prev = toHex(leafHashSync(bytes, scratch));
      const line = new Uint8Array(bytes.length + 1);
      line.set(bytes);
      line[bytes.length] = 10;
      parts.push(line);
      pending += line.length;
      written += line.length;
      if (pending > 1 << 20) await flush();
    }
    if (file !== undefined) await flush();
  } finally {
    file?.close();
  }
}

if (import.meta.main) {
  const [dir, count] = Deno.args;
  await writeSyntheticLog(dir!, { count: Number(count) });
}
