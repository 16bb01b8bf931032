/**
 * What this release says of a request queued by a thoth of a later release
 * (a request file whose `"v"` is above `QUEUE_REQUEST_VERSION`): this
 * release cannot read the rest of it, so it neither lists its call nor
 * answers it, but says that it is there, how many there are, and who can
 * answer them: the `thoth approvals` of the release that queued them (its
 * binary, when the file names it in `"thoth"`, or its pid), else an updated
 * thoth. Without this, an older `thoth approvals` says "no approval
 * requests are waiting" while a call waits and times out. Pure.
 *
 * @example
 * ```ts
 * const later = laterReleaseRequest(JSON.parse(text), "k3f9x2qa");
 * if (later !== null) throw laterReleaseRefusal(later);
 * ```
 */
import { AppError } from "../errors.ts";
import { displayText } from "./display_text.ts";
import { QUEUE_ID, QUEUE_REQUEST_VERSION } from "./queue_record.ts";

/** What can be read of a later release's request: little is trusted, all is shown escaped. */
export interface LaterReleaseRequest {
  id: string;
  /** Its `"v"`, a whole number above this release's. */
  v: number;
  /** The waiting thoth's pid, when the file gives one. */
  pid?: number;
  /** The waiting thoth's binary (or command), when the file names it in `"thoth"`. */
  thoth?: string;
  /** When it stops waiting, when the file says. */
  expiresAt?: number;
}

/**
 * `value` (a parsed `<id>.request.json`) as a later release's request to
 * `id`, or null when it is none (no object, another id, or a version this
 * release reads or that is no whole number above it).
 */
export function laterReleaseRequest(value: unknown, id: string): LaterReleaseRequest | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const r = value as Record<string, unknown>;
  const v = r["v"];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= QUEUE_REQUEST_VERSION) return null;
  if (typeof r["id"] !== "string" || !QUEUE_ID.test(r["id"]) || r["id"] !== id) return null;
  const pid = r["pid"];
  const thoth = r["thoth"];
  const expiresAt = r["expiresAt"];
  return {
    id,
    v,
    ...(typeof pid === "number" && Number.isSafeInteger(pid) && pid > 0 ? { pid } : {}),
    ...(typeof thoth === "string" && thoth !== "" && thoth.length <= 1000 ? { thoth } : {}),
    ...(typeof expiresAt === "number" && Number.isSafeInteger(expiresAt) ? { expiresAt } : {}),
  };
}

/** Whether `later` may still wait at `now`: it says it has not expired, or says nothing of it. */
export function laterStillWaiting(later: LaterReleaseRequest, now: number): boolean {
  return later.expiresAt === undefined || later.expiresAt >= now;
}

/** An entry of `thoth approvals list --json` for `later`. */
export interface LaterReleaseJson {
  id: string;
  /** Always "later_release": apart from the states of requests this release reads. */
  state: "later_release";
  v: number;
  pid: number | null;
  /** The waiting thoth's binary as its file names it, made safe to print; null when not named. */
  thoth: string | null;
  /** When it stops waiting (ISO 8601), when the file says so in a time that can be written. */
  expiresAt: string | null;
}

/** The largest time a `Date` holds, in ms either side of 1970 (ECMA-262's time value range). */
const MAX_TIME = 8.64e15;

/**
 * `later` as `thoth approvals list --json` lists it: what can be read of it
 * safely, under a state of its own, so a script polling the list sees that
 * a call waits (the rest of the file is a later release's and not read).
 *
 * @example
 * ```ts
 * laterReleaseJson({ id: "k3f9x2qa", v: 4 });
 * // { id: "k3f9x2qa", state: "later_release", v: 4, pid: null, thoth: null, expiresAt: null }
 * ```
 */
export function laterReleaseJson(later: LaterReleaseRequest): LaterReleaseJson {
  const { expiresAt } = later;
  return {
    id: later.id,
    state: "later_release",
    v: later.v,
    pid: later.pid ?? null,
    thoth: later.thoth === undefined ? null : displayText(later.thoth, 1000),
    expiresAt: expiresAt === undefined || Math.abs(expiresAt) > MAX_TIME
      ? null
      : new Date(expiresAt).toISOString(),
  };
}

/** Who can answer `later`, in words: its release's thoth, named as its file names it. */
function answerer(later: LaterReleaseRequest, program: string): string {
  const thoth = later.thoth === undefined
    ? undefined
    : JSON.stringify(displayText(later.thoth, 200));
  if (thoth !== undefined) {
    return `answer it with that release's thoth (${thoth}): ${thoth} approvals approve ${later.id}`;
  }
  const pid = later.pid === undefined ? "" : ` (the thoth with pid ${later.pid} asked)`;
  return `answer it with that release's thoth${pid}, or update this one (e.g. "${program} ` +
    `update") and run "${program} approvals approve ${later.id}" again`;
}

/**
 * The refusal of `thoth approvals approve` or `deny` to answer `later`:
 * this release cannot read the request, so any answer it wrote could be
 * for another call than the one shown; nothing was answered.
 */
export function laterReleaseRefusal(later: LaterReleaseRequest, program = "thoth"): AppError {
  return new AppError(
    "approval.later_release",
    `request "${later.id}" was queued by a thoth of a later release (request version ` +
      `${later.v}), which this ${program} cannot read: nothing was answered`,
    {
      hints: [
        answerer(later, program),
        "left unanswered, it is refused when it times out",
      ],
    },
  );
}

/**
 * The lines `thoth approvals list` and `watch` print for the requests of a
 * later release in the queue: how many, and how to answer them (each
 * release's thoth named once); none when there are none.
 */
export function laterReleaseLines(
  later: readonly LaterReleaseRequest[],
  program = "thoth",
): string[] {
  if (later.length === 0) return [];
  const count = later.length === 1
    ? "1 approval request was"
    : `${later.length} approval requests were`;
  const lines = [
    `${count} queued by a thoth of a later release, which this ${program} cannot read or ` +
    `answer: ${later.map((l) => l.id).join(", ")}`,
  ];
  const named = [...new Set(later.flatMap((l) => l.thoth === undefined ? [] : [l.thoth]))];
  for (const thoth of named) {
    const shown = JSON.stringify(displayText(thoth, 200));
    lines.push(`answer them with that release's thoth: ${shown} approvals list`);
  }
  if (later.some((l) => l.thoth === undefined)) {
    const pids = [...new Set(later.flatMap((l) => l.pid === undefined ? [] : [l.pid]))];
    lines.push(
      `answer ${named.length === 0 ? "them" : "the others"} with the thoth of the release ` +
        `that asked${pids.length === 0 ? "" : ` (pid ${pids.join(", ")})`}, or update this ` +
        `${program} (e.g. "${program} update") and list them again`,
    );
  }
  return lines;
}
