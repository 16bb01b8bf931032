/**
 * Reads what `thoth audit show` prints without holding the log: the log is
 * read a line at a time (see `scanLogLines`), each line's link to the one
 * before it checked as it goes (see `chain_links.ts`), and only what the
 * output needs is kept: what is kept of each chosen record (a table row, or
 * its JSON line) and the table's joins (see `table_joins.ts`). The records
 * chosen, their order and their joined cells are those of a reader that had
 * the whole log at hand: a record the `--server` filter judged by a decision
 * or session that a later record replaced, or that only a later record named,
 * has the log read again with the joins of the whole log (a log thoth wrote
 * never needs it); `--decision-id` reads the log three times, the second and
 * third parsing only the lines that can name one of its ids or sessions.
 * A reader that keeps at most so many items (`keepAtMost`: the table, whose
 * rows wait for its column widths) gets, for more, a way to read them again
 * instead (`again`), among the lines the first reading read.
 *
 * @example
 * ```ts
 * const shown = await readShownRecords(dir, { since: -Infinity, until: Infinity }, {
 *   joins: true,
 *   keep: (line) => tableRow(line.record!),
 * });
 * ```
 */
import { cellText, TableJoins } from "./table_joins.ts";
import { type LogLine, parseLogLine, scanLogLines } from "./read_records.ts";
import { ChainCheck, type UnchainedRange } from "./chain_links.ts";
import { recordTimeMs } from "./record_time.ts";
import { hasShownEffect, type ShownEffect } from "./shown_effect.ts";

type Rec = Record<string, unknown>;

/** The filters of `show` (a decision id goes alone: see `src/cli/audit_show.ts`). */
export interface ShowFilters {
  /** Epoch ms, both ends included (`-Infinity` and `Infinity` when not given). */
  since: number;
  until: number;
  server?: string | undefined;
  verdict?: string | undefined;
  effect?: ShownEffect | undefined;
  decisionId?: string | undefined;
}

/** What to keep of the chosen records. */
export interface ShowReading<T> {
  /** Whether to gather the table's joins (the table needs them; JSON lines do not). */
  joins: boolean;
  /** What is kept of a chosen line (called once for each, in log order). */
  keep: (line: LogLine) => T;
  /**
   * Given, it takes each kept item as soon as its choice is final (no
   * `--server` or `--decision-id`), instead of it being kept: JSON lines are
   * printed as the log is read.
   */
  emit?: (item: T) => void;
  /**
   * Given, no more than this many items are kept (without `emit`): when
   * more records are chosen, `kept` is empty and `again` hands them over.
   */
  keepAtMost?: number;
}

/** What `show` prints, and the links that did not hold. */
export interface ShownRecords<T> {
  /** The kept items of the chosen records, in log order (those not emitted). */
  kept: T[];
  joins: TableJoins;
  /** Where the log's links do not hold (see `unchainedRanges`). */
  unchained: UnchainedRange[];
  /**
   * Set when more records were chosen than `keepAtMost`: reads the log again
   * and hands `visit` the kept item of each chosen record, in log order,
   * chosen with the whole log's joins (as `kept` would hold them). Each call
   * reads the log once more.
   */
  again?: (visit: (item: T) => void) => Promise<void>;
}

/** Reads the log in `dir` for `show` with `filters` (see the module's note). */
export async function readShownRecords<T>(
  dir: string,
  filters: ShowFilters,
  reading: ShowReading<T>,
): Promise<ShownRecords<T>> {
  if (filters.decisionId !== undefined) return await readDecision(dir, filters.decisionId, reading);
  const joins = new TableJoins();
  const gather = reading.joins || filters.server !== undefined;
  const watch = filters.server === undefined ? undefined : new JoinWatch();
  const emit = watch === undefined ? reading.emit : undefined;
  const chain = new ChainCheck({ startsLog: true });
  let kept: T[] = [];
  const most = emit === undefined ? reading.keepAtMost ?? Infinity : Infinity;
  let overflow = false;
  const hold = (line: LogLine) => {
    if (overflow) return;
    if (kept.length >= most) {
      // Too many to keep: `again` reads them when they are printed.
      overflow = true;
      kept = [];
      return;
    }
    const item = reading.keep(line);
    if (emit !== undefined) emit(item);
    else kept.push(item);
  };
  let lines = 0;
  // The lines (counted from 1) that every filter but `--server` chose: the
  // only ones a reading again parses.
  const candidates: number[] = [];
  await scanLogLines(dir, (segment, bytes) => {
    const line = parseLogLine(segment, bytes);
    lines++;
    chain.push(line);
    const record = line.record;
    if (record === undefined) return;
    if (gather) {
      watch?.beforeAdd(record, joins);
      joins.add(record);
    }
    if (!chosenApartFromServer(record, filters)) return;
    candidates.push(lines);
    if (filters.server === undefined || watch!.serverOf(record, joins) === filters.server) {
      hold(line);
    }
  });
  const unchained = chain.ranges();
  // The records chosen with the whole log's joins, read again: among the
  // lines read above only (a record appended since was not checked, nor
  // joined), and of those only the ones the filters but `--server` chose.
  const chooseAgain = (visit: (line: LogLine) => void) => {
    let at = 0;
    let next = 0;
    return scanLogLines(dir, (segment, bytes) => {
      if (++at !== candidates[next]) return;
      next++;
      const line = parseLogLine(segment, bytes);
      const record = line.record;
      if (record === undefined || !chosenApartFromServer(record, filters)) return;
      if (filters.server !== undefined && serverOf(record, joins) !== filters.server) return;
      visit(line);
    });
  };
  if (watch?.stale && !overflow) {
    // A choice made with joins a later record changed: choose again with the whole log's.
    kept = [];
    await chooseAgain(hold);
  }
  if (!overflow) return { kept, joins, unchained };
  const again = (visit: (item: T) => void) => chooseAgain((line) => visit(reading.keep(line)));
  return { kept: [], joins, unchained, again };
}

/** Whether `record` passes every filter but `--server`. */
function chosenApartFromServer(record: Rec, filters: ShowFilters): boolean {
  // A record written late is in the period of its decision (`decidedAt`), not of its writing.
  const ts = recordTimeMs(record);
  if (!(ts >= filters.since && ts <= filters.until)) return false;
  if (
    filters.verdict !== undefined &&
    (record["type"] !== "decision" || record["verdict"] !== filters.verdict)
  ) return false;
  // A decision record of a release that did not record the effect matches no --effect.
  return filters.effect === undefined || hasShownEffect(record, filters.effect);
}

/** The server a record belongs to, through its decision or session when it names none (as the table's SERVER). */
function serverOf(record: Rec, joins: TableJoins): string {
  if (typeof record["server"] === "string") return record["server"];
  return joins.decisions.get(cellText(record["decisionId"]))?.server ??
    joins.sessions.get(cellText(record["session"])) ?? "";
}

/**
 * {@linkcode serverOf} with the joins read so far, noting when a later record
 * could change an answer given: a decision or session looked up before any
 * record named it, or one replaced by a record that says otherwise.
 */
class JoinWatch {
  stale = false;
  readonly #missedDecisions = new Set<string>();
  readonly #missedSessions = new Set<string>();

  serverOf(record: Rec, joins: TableJoins): string {
    if (typeof record["server"] === "string") return record["server"];
    const key = cellText(record["decisionId"]);
    const decision = joins.decisions.get(key);
    if (decision === undefined) this.#missedDecisions.add(key);
    if (decision?.server !== undefined) return decision.server;
    const session = cellText(record["session"]);
    const server = joins.sessions.get(session);
    if (server === undefined) this.#missedSessions.add(session);
    return server ?? "";
  }

  /** Called with each record before `joins` takes it in. */
  beforeAdd(record: Rec, joins: TableJoins): void {
    if (record["type"] === "decision") {
      const key = cellText(record["decisionId"]);
      const server = typeof record["server"] === "string" ? record["server"] : undefined;
      const old = joins.decisions.get(key);
      if (old !== undefined ? old.server !== server : this.#missedDecisions.has(key)) {
        this.stale = true;
      }
    } else if (record["type"] === "session_start") {
      const key = cellText(record["session"]);
      const old = joins.sessions.get(key);
      if (old !== undefined ? old !== cellText(record["server"]) : this.#missedSessions.has(key)) {
        this.stale = true;
      }
    }
  }
}

/**
 * The decision ids a record is about: its `decisionId`, and a stateless
 * retry's `retryDecisionId` (as `decision_records.ts` reads them).
 */
function idsOf(record: Rec): string[] {
  const ids: string[] = [];
  for (const key of ["decisionId", "retryDecisionId"]) {
    if (typeof record[key] === "string") ids.push(record[key]);
  }
  return ids;
}

const encoder = new TextEncoder();
/** What a JSON line holds where it escapes a letter or digit: only such a line can hide a name. */
const ESCAPE = encoder.encode("\\u");

/**
 * `show --decision-id`: the records `recordsOfDecision` picks from the whole
 * log. The first reading checks the links, gathers the joins and the ids an
 * approval ties to `id`; the second keeps the records naming one of them
 * and notes their sessions; the third keeps those sessions' `session_start`
 * and `handshake` records. Empty when no record names `id`.
 */
async function readDecision<T>(
  dir: string,
  id: string,
  reading: ShowReading<T>,
): Promise<ShownRecords<T>> {
  const joins = new TableJoins();
  const chain = new ChainCheck({ startsLog: true });
  const ids = new Set([id]);
  await scanLogLines(dir, (segment, bytes) => {
    const line = parseLogLine(segment, bytes);
    chain.push(line);
    const record = line.record;
    if (record === undefined) return;
    if (reading.joins) joins.add(record);
    if (record["type"] !== "approval") return;
    const named = idsOf(record);
    if (named.includes(id)) { for (const other of named) ids.add(other); }
  });
  const unchained = chain.ranges();
  const tiedTo = (record: Rec) => idsOf(record).some((i) => ids.has(i));
  const picked: { at: number; item: T }[] = [];
  const sessions = new Set<unknown>();
  // An id JSON writes as it is can be looked for in the bytes; any other, only in the parsed line.
  const plain = [...ids].every((i) => /^[\x20-\x7e]+$/.test(i) && !/["\\/]/.test(i));
  const named = [...ids].map((i) => encoder.encode(i));
  let at = 0;
  await scanLogLines(dir, (segment, bytes) => {
    at++;
    if (plain && !named.some((n) => holds(bytes, n)) && !holds(bytes, ESCAPE)) return;
    const line = parseLogLine(segment, bytes);
    if (line.record === undefined || !tiedTo(line.record)) return;
    picked.push({ at, item: reading.keep(line) });
    sessions.add(line.record["session"]);
  });
  if (picked.length === 0) return { kept: [], joins, unchained };
  const kinds = ["session_start", "handshake"].map((k) => encoder.encode(k));
  const started: { at: number; item: T }[] = [];
  at = 0;
  await scanLogLines(dir, (segment, bytes) => {
    at++;
    if (!kinds.some((k) => holds(bytes, k)) && !holds(bytes, ESCAPE)) return;
    const line = parseLogLine(segment, bytes);
    const record = line.record;
    if (record === undefined || tiedTo(record)) return;
    if (record["type"] !== "session_start" && record["type"] !== "handshake") return;
    if (sessions.has(record["session"])) started.push({ at, item: reading.keep(line) });
  });
  const kept = [...picked, ...started].sort((a, b) => a.at - b.at).map((p) => p.item);
  return { kept, joins, unchained };
}

/** Whether `bytes` holds `needle` (not empty) anywhere. */
function holds(bytes: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0]!;
  const last = bytes.length - needle.length;
  for (let i = bytes.indexOf(first); i >= 0 && i <= last; i = bytes.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return true;
  }
  return false;
}
