/**
 * Shared plumbing for the SessionAudit tests: a tool call, a SessionAudit
 * with the options the tests share, a session whose log can be made to fail
 * for real (its clock moves to the next day on demand, and a folder stands
 * where that day's segment goes), and readers of the log and the spool.
 * Everything writes under the THOTH_HOME a test passes (a temp folder).
 *
 * @example
 * ```ts
 * const s = await openSession(home, { session: "s-1" });
 * await s.audit.start("fs-server", [], []);
 * const blocker = await s.failAfter(0); // the next batch starts tomorrow's segment, and fails
 * ```
 */
import assert from "node:assert/strict";
import { type AuditLog, openAuditLog } from "../../src/audit/audit_log.ts";
import { DecisionSpool } from "../../src/audit/decision_spool.ts";
import { auditPaths, segmentName } from "../../src/audit/log_paths.ts";
import { readLogLines } from "../../src/audit/read_records.ts";
import type { AuditEvent } from "../../src/audit/record.ts";
import { allowAllEnforcer } from "../../src/enforcer/allow_all_enforcer.ts";
import type { Enforcer } from "../../src/enforcer/enforcer.ts";
import type { ToolCall } from "../../src/policy/tool_call.ts";
import type { Verdict } from "../../src/policy/verdict.ts";
import type { ClientChannel } from "../../src/proxy/relay_session.ts";
import { ORPHAN_AFTER_MS, SessionAudit } from "../../src/proxy/session_audit.ts";
import type { SessionAuditOptions } from "../../src/proxy/session_audit_options.ts";

/** The fixed clock's first day. */
export const DAY1 = "2026-03-01";
/** The fixed clock's next day, the one a flipped clock reads. */
export const DAY2 = "2026-03-02";

const DAY_MS = 86_400_000;

/** The `_meta` of a stateless request from a client that can show a form. */
export const STATELESS_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} } },
};

/** A `write_file` call to server `fs` of the given era (stateless ones carry their version). */
export function toolCall(era: ToolCall["era"] = "initialize"): ToolCall {
  return {
    server: "fs",
    tool: "write_file",
    arguments: { path: "/data/x" },
    annotations: undefined,
    listed: true,
    era,
    protocolVersion: era === "stateless" ? "2026-07-28" : undefined,
  };
}

/** An enforcer that asks a person about every call. */
export const stepUp: Enforcer = {
  decide: (_call, ids) => ({
    decision: "step_up",
    decisionId: ids(),
    ruleIds: ["writes"],
    reasons: ["writes need a person"],
  }),
};

/** A client that cannot be asked (every elicitation is refused). */
export const noClient: ClientChannel = {
  elicitation: false,
  request: () => Promise.reject(new Error("no elicitation")),
  notify: () => {},
};

/** What differs between the tests' SessionAudits; the rest is the same for all. */
export interface AuditOptions {
  /** The session's id. */
  session: string;
  /** The enforcement mode; `block` unless given. */
  mode?: string;
  sync?: SessionAuditOptions["sync"];
  /** Any other option of SessionAudit (e.g. its wall clock `now`). */
  extra?: Partial<SessionAuditOptions>;
}

/**
 * A SessionAudit of server `fs` over `log`, with no intent and no safe
 * fields; what it notes goes into `notes`.
 */
export function newSessionAudit(
  home: string,
  log: AuditLog | undefined,
  options: AuditOptions,
): { audit: SessionAudit; notes: string[] } {
  const notes: string[] = [];
  const audit = new SessionAudit({
    log,
    thothHome: home,
    session: options.session,
    server: "fs",
    mode: options.mode ?? "block",
    policyHash: "0".repeat(64),
    intent: null,
    safeFields: [],
    ...(options.sync ? { sync: options.sync } : {}),
    note: (m) => notes.push(m),
    ...options.extra,
  });
  return { audit, notes };
}

/** How a session's log tells the time before it is flipped to the next day. */
export type ClockBase = "fixed" | "real";

/** A session that can be made to fail for real. */
export interface SessionOptions extends AuditOptions {
  /**
   * `fixed` (the default): noon of DAY1, flipped to DAY2; `real`: the real
   * clock (a spool file is dated by it too), a day ahead once flipped. The
   * real one stays in the UTC day the session opened in: past that day's
   * last millisecond it holds still, so that a run crossing midnight neither
   * rotates the log into a segment of its own nor moves the flipped day away
   * from {@link FlippingSession.nextDay}.
   */
  clock?: ClockBase;
  /** Runs the audit's wall clock (the age of orphaned spools) this many milliseconds ahead. */
  aheadMs?: number;
}

/** An open session of {@link openSession}. */
export interface FlippingSession {
  audit: SessionAudit;
  notes: string[];
  /** Once called, the log's clock reads the next day after `flip` more readings. */
  arm: (flip: number) => void;
  /** The writes the session has asked of the log (batches and checkpoints). */
  tries: { count: number };
  /** The day a flipped clock reads (where {@link blockSegment} puts its folder). */
  nextDay: string;
  /**
   * Makes the log take `n` more records and then fail: a folder stands where
   * the next day's segment starts, and the clock is armed to flip after `n`
   * readings. The session's writes wait meanwhile, so that none lands
   * between the count of the records and the arming (a batch the session's
   * timer sends then would start the next day's segment past the folder).
   * Returns the folder's path (remove it to mend the log).
   */
  failAfter: (n: number) => Promise<string>;
}

/**
 * Opens the log under `home` with a clock that moves to the next day when
 * armed (the log then rotates into a new segment mid-batch), and a
 * SessionAudit over it; counts the writes the session asks of the log (the
 * log's own methods do the work).
 */
export async function openSession(home: string, options: SessionOptions): Promise<FlippingSession> {
  const clock = { readings: 0, flipAfter: Infinity };
  const flipped = () => ++clock.readings > clock.flipAfter;
  const real = options.clock === "real";
  // The real clock is read once here for the day it stays in, and the next day comes from
  // that same reading: the two never disagree, whenever the test runs.
  const opened = new Date(Date.now()).toISOString().slice(0, 10);
  const lastOfDay = Date.parse(`${opened}T23:59:59.999Z`);
  const log = await openAuditLog({
    thothHome: home,
    now: real
      ? () => new Date(Math.min(Date.now(), lastOfDay) + (flipped() ? DAY_MS : 0))
      : () => new Date(`${flipped() ? DAY2 : DAY1}T12:00:00Z`),
  });
  const append = log.appendMany.bind(log);
  const checkpoint = log.checkpoint.bind(log);
  const tries = { count: 0 };
  // While `failAfter` counts the records and puts its folder, the session's writes wait (its
  // batches go out on a timer of their own); `last` is the newest write asked for.
  let held: Promise<void> | undefined;
  let last: Promise<unknown> = Promise.resolve();
  const write = <T>(run: () => Promise<T>): Promise<T> => {
    tries.count++;
    const written = held === undefined ? run() : held.then(run);
    last = written.catch(() => {});
    return written;
  };
  log.appendMany = (events, check) => write(() => append(events, check));
  log.checkpoint = () => write(checkpoint);
  const ahead = options.aheadMs;
  const { audit, notes } = newSessionAudit(home, log, {
    ...options,
    extra: { ...(ahead === undefined ? {} : { now: () => Date.now() + ahead }), ...options.extra },
  });
  const arm = (flip: number) => {
    clock.readings = 0;
    clock.flipAfter = flip;
  };
  const nextDay = real ? new Date(lastOfDay + DAY_MS).toISOString().slice(0, 10) : DAY2;
  const failAfter = async (n: number) => {
    // A batch that reached the log between the count and the arming would move the
    // rotation past the folder: the count is taken with no write under way or let in.
    let release = () => {};
    held = new Promise<void>((resolve) => release = resolve);
    try {
      await last;
      const blocker = blockSegment(home, (await logRecords(home)).length + n, nextDay);
      arm(n);
      return blocker;
    } finally {
      held = undefined;
      release();
    }
  };
  return { audit, notes, arm, tries, nextDay, failAfter };
}

/**
 * Puts a folder where segment `seq` of `day` goes, so that the log cannot
 * rotate into it; returns its path (remove it to mend the log).
 */
export function blockSegment(home: string, seq: number, day: string): string {
  const blocker = `${auditPaths(home).dir}/${segmentName(seq, day)}`;
  Deno.mkdirSync(blocker);
  return blocker;
}

/** Every record in the log under `home`, oldest first. */
export async function logRecords(home: string): Promise<Record<string, unknown>[]> {
  return (await readLogLines(auditPaths(home).dir)).map((l) => l.record!);
}

/**
 * The names of the files in the spool under `home`, sorted; a missing spool
 * folder throws unless `missing` is `empty`.
 */
export function spoolFiles(home: string, missing: "throw" | "empty" = "throw"): string[] {
  try {
    return [...Deno.readDirSync(DecisionSpool.dir(home))].map((e) => e.name).sort();
  } catch (error) {
    if (missing === "empty") return [];
    throw error;
  }
}

/**
 * Spools three allowed decisions (`ids`), an outcome of the first and a
 * cancellation of the second; resolves once they are queued.
 */
export async function traffic(audit: SessionAudit, ids = ["d-1", "d-2", "d-3"]): Promise<void> {
  const events = allowedDecisions(audit, ids);
  events.outcome!(ids[0]!, "write_file", false, 1, { content: [] }, undefined);
  events.cancelled!(ids[1]!, "write_file", "the client cancelled the call");
  await Promise.resolve();
}

/** Records allowed decisions `ids` of `audit`, as its enforcer decides them; returns its events. */
export function allowedDecisions(
  audit: SessionAudit,
  ids: readonly string[],
): ReturnType<SessionAudit["events"]> {
  const call = toolCall();
  const enforcer = audit.wrapEnforcer(allowAllEnforcer);
  const events = audit.events();
  for (const id of ids) {
    const verdict = enforcer.decide(call, () => id) as Verdict;
    assert.equal(verdict.decision, "allow");
    events.decision!(call, verdict, id);
  }
  return events;
}

/** How many times each gating record (`decision:<id>`, `approval:<id>`) is in `all`. */
export function gatingCounts(all: Record<string, unknown>[]): Record<string, number> {
  const seen = new Map<string, number>();
  for (const r of all) {
    if (r["type"] !== "decision" && r["type"] !== "approval") continue;
    const key = `${r["type"]}:${r["decisionId"]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...seen].sort());
}

/** Makes a file look untouched since long before a session that starts now. */
export function age(path: string): void {
  const old = new Date(Date.now() - 2 * ORPHAN_AFTER_MS);
  Deno.utimeSync(path, old, old);
}

/** A dead session's allowed decision `id`, as its spool holds it (session `s-dead` by default). */
export function deadDecision(id: string, session = "s-dead"): AuditEvent {
  return {
    type: "decision",
    session,
    server: "fs",
    tool: "t",
    decisionId: id,
    verdict: "allow",
    ruleIds: [],
    reasons: ["x"],
    mode: "block",
    policyHash: "0".repeat(64),
    intent: null,
    effect: "forwarded",
    args: { digest: "", shape: { t: "null" } },
  } as unknown as AuditEvent;
}

/**
 * A log clock on the real time that stays in the UTC day of its creation
 * (past the day's last millisecond it holds still): a test that writes
 * with several logs and then reads "the last segment" finds all of their
 * records there, even in a run that crosses midnight.
 */
export function sameDayClock(): () => Date {
  const day = new Date(Date.now()).toISOString().slice(0, 10);
  const lastOfDay = Date.parse(`${day}T23:59:59.999Z`);
  return () => new Date(Math.min(Date.now(), lastOfDay));
}
