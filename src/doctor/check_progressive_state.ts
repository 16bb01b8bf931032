/**
 * Doctor check `progressive_state`: the progressive mode's violation counters
 * (`THOTH_HOME/state/progressive.json`), read as a session reads them and
 * left as they are. No file yet, or a readable one, passes; a counts-lost
 * mark in force (the counters were lost, so every violation is blocked
 * rather than counted from zero until it ends) warns; a file a session would
 * move aside (not JSON, not a regular file, a symbolic link), or a state
 * folder it cannot use, fails with the fix. The message names the servers
 * that run in progressive mode, when the client configs were read.
 *
 * @example
 * ```ts
 * const { check } = await readProgressiveReport(context, reports);
 * check.status; // "pass" | "warn" | "fail"
 * ```
 */
import {
  inspectProgressiveState,
  type ProgressiveInspection,
} from "../enforcer/progressive_inspection.ts";
import { DEFAULT_PROGRESSIVE } from "../policy/default_progressive.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { ClientConfigReport } from "./doctor_plugins.ts";
import { shellQuote } from "./shell_quote.ts";

/** The counters as found, and the check made of them. */
export interface ProgressiveReport {
  readonly inspection: ProgressiveInspection;
  readonly check: DoctorCheck;
  /** Until when violations are blocked because the counts were lost (epoch ms), when a mark is in force. */
  readonly distrustUntil: number | null;
}

/** Reads the counters (changing nothing) and judges them. */
export async function readProgressiveReport(
  context: Pick<DoctorContext, "thothHome" | "now">,
  reports: readonly ClientConfigReport[] | null = null,
): Promise<ProgressiveReport> {
  const inspection = await inspectProgressiveState(context.thothHome);
  return {
    inspection,
    ...judgeProgressiveState(inspection, context.now().getTime(), progressiveServers(reports)),
  };
}

/** The check (see {@linkcode readProgressiveReport}). */
export async function checkProgressiveState(
  context: Pick<DoctorContext, "thothHome" | "now">,
  reports: readonly ClientConfigReport[] | null = null,
): Promise<DoctorCheck> {
  return (await readProgressiveReport(context, reports)).check;
}

/**
 * The governed servers whose entry runs them in progressive mode
 * (`--enforcement-mode progressive`), or null when the configs are unknown.
 */
export function progressiveServers(
  reports: readonly ClientConfigReport[] | null,
): string[] | null {
  if (reports === null) return null;
  const names = reports.flatMap((report) =>
    report.servers.filter((s) => s.governed && s.enforcementMode === "progressive")
      .map((s) => s.name)
  );
  return [...new Set(names)];
}

/**
 * Judges what {@linkcode inspectProgressiveState} found at `nowMs`. Pure.
 *
 * @example
 * ```ts
 * judgeProgressiveState({ ...found, kind: "absent" }, Date.now(), null).check.message;
 * // "no progressive counters yet"
 * ```
 */
export function judgeProgressiveState(
  found: ProgressiveInspection,
  nowMs: number,
  servers: readonly string[] | null,
): { check: DoctorCheck; distrustUntil: number | null } {
  const modes = servers === null
    ? ""
    : servers.length === 0
    ? "; no governed server runs in progressive mode"
    : `; servers in progressive mode: ${servers.join(", ")}`;
  const check = (
    status: DoctorCheck["status"],
    message: string,
    hint: string | null,
    distrustUntil: number | null = null,
  ) => ({
    check: { id: "progressive_state" as const, status, message: message + modes, hint },
    distrustUntil,
  });
  const aside = found.movedAside;
  const asideText = aside === null
    ? ""
    : ` (the unreadable file was moved aside as "${aside.path}" at ${iso(aside.at)})`;
  const path = shellQuote(found.path);
  switch (found.kind) {
    case "absent": {
      if (aside === null) return check("pass", "no progressive counters yet", null);
      // A session finds the loss in the file moved aside: one window from then, it blocks.
      const until = Math.min(aside.at, nowMs) + DEFAULT_PROGRESSIVE.windowMs;
      if (until > nowMs) {
        return check(
          "warn",
          "the progressive counters were lost and not written again" + asideText +
            ": violations in progressive mode are blocked, not counted from zero, until one " +
            `progressive window after that (${iso(until)} with the default window of ` +
            `${DEFAULT_PROGRESSIVE.window})`,
          "nothing needs doing: counting resumes by itself after one window; look at the file " +
            "moved aside to see what was wrong with it",
        );
      }
      return check(
        "pass",
        `no progressive counters since an unreadable file was moved aside as "${aside.path}" ` +
          `at ${iso(aside.at)}`,
        null,
      );
    }
    case "readable": {
      const entries = `${found.entries} counter(s) (server, user, rule) in "${found.path}"`;
      if (found.distrustUntil !== null && found.distrustUntil > nowMs) {
        return check(
          "warn",
          `the progressive counters were lost${asideText}: violations in progressive mode are ` +
            `blocked, not counted from zero, until ${iso(found.distrustUntil)}; ${entries}`,
          "nothing needs doing: counting resumes by itself after one window" +
            (aside === null ? "" : "; look at the file moved aside to see what was wrong with it"),
          found.distrustUntil,
        );
      }
      return check("pass", entries, null);
    }
    case "unreadable":
      return check(
        "fail",
        `the progressive counters "${found.path}" cannot be read (${found.problem}): the next ` +
          "violation in progressive mode moves the file aside and blocks every violation, not " +
          "counted from zero, for one window",
        (found.link ? "thoth never makes it a symbolic link: find out what did; then " : "") +
          `move it aside as a session would (mv ${path} ${
            shellQuote(`${found.path}.unreadable-${nowMs}`)
          }: violations are blocked for one window from now), or remove it (rm ${path}) to ` +
          "count from zero",
      );
    case "unusable": {
      const dir = found.path.replace(/[/\\][^/\\]*$/, "");
      return check(
        "fail",
        `${found.problem}: every violation in progressive mode is blocked until this is fixed`,
        found.link
          ? `remove the link (rm ${shellQuote(dir)}): thoth makes the folder itself`
          : /is not a folder/.test(found.problem ?? "")
          ? `move it away (mv ${shellQuote(dir)} ${shellQuote(`${dir}.old`)}): thoth makes ` +
            "the folder itself"
          : `check that "${dir}" is a folder this user can read and write, and that ` +
            `"${found.path}" is a file this user can read`,
      );
    }
  }
}

function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
