/**
 * The records that follow a call, after the fact (they never hold
 * traffic): each call's outcome, with its result's digest (or, for a
 * response too large to parse, the digest of its bytes), cancellations, a
 * sampling answer's tool choices, the handshake (the client's name and
 * version as a record keeps a name the client chose: see
 * `redact_recorded_names.ts`), tool list snapshots, and
 * the resource, prompt and completion requests thoth governs (one of those
 * whose record cannot be written is refused, but in observe mode).
 *
 * @example
 * ```ts
 * const records = new SessionEventRecords(options, (event) => batches.later(event), recording);
 * const relay = new RelaySession({ events: records.events(), … });
 * await Promise.all(records.digesting); // at the session's end
 * ```
 */
import type { Digests } from "../audit/key_digests.ts";
import { redactedName } from "../audit/redact_recorded_names.ts";
import type { OutcomeEvent, RedactedValue } from "../audit/record.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { AUDIT_UNWRITABLE_RULE } from "../protocol/responses.ts";
import type { RawResponse, RelayEvents } from "./relay_session.ts";
import type { ListedPage } from "./relay_types.ts";
import { ToolsSnapshots } from "./tools_snapshots.ts";
import { UNRECORDED_REQUEST_REASON } from "./unrecorded_request_texts.ts";
import type { Queued } from "./held_spool_files.ts";
import { type ClientRequestFacts, requestRecorder } from "./client_request_records.ts";
import { UNRECORDED } from "./decision_records.ts";
import { countTakeBackRecord } from "./count_take_back_records.ts";

/** What the records need of their session's options (see `SessionAuditOptions`). */
export interface SessionEventRecordsOptions {
  /** The log's digests (the device key's while a log the session awaits is not open yet). */
  log: Digests | undefined;
  session: string;
  server: string;
  mode: string;
  note: (message: string) => void;
}

/** Turns the relay's events into the records that follow calls. */
export class SessionEventRecords {
  readonly #o: SessionEventRecordsOptions;
  /** Queues a record that gates nothing (see `LogBatches.later`). */
  readonly #later: (event: Queued) => void;
  /** Whether decisions are being recorded (see `SessionAudit.recording`). */
  readonly #recording: () => boolean;
  readonly #decisions = new Map<string, string>();
  /** Tools a model chose in a sampling answer, with the server's request id, until decided. */
  readonly #chosen = new WeakMap<ToolCall, JsonRpcId>();
  /** Digests of large responses still being computed. */
  readonly #digesting = new Set<Promise<void>>();
  /** Outcomes of responses in the read being handled (see `#outcomeSoon`). */
  #outcomes: { outcome: Omit<OutcomeEvent, "result" | "response">; result: unknown }[] = [];

  constructor(
    options: SessionEventRecordsOptions,
    later: (event: Queued) => void,
    recording: () => boolean,
  ) {
    this.#o = options;
    this.#later = later;
    this.#recording = recording;
  }

  /** Tools a model chose in a sampling answer (their decisions' records name the sampling request). */
  get chosen(): WeakMap<ToolCall, JsonRpcId> {
    return this.#chosen;
  }

  /** Digests (and tool snapshots) still being computed: the session's end waits for them. */
  get digesting(): ReadonlySet<Promise<void>> {
    return this.#digesting;
  }

  /** Relay events that become records (after the fact; they never hold traffic). */
  events(): RelayEvents {
    return {
      decision: (_call, verdict, requestId) => {
        // A blocked call has no outcome to link: its decision record says it all.
        if (verdict.decision !== "block") this.#decisions.set(idKey(requestId), verdict.decisionId);
      },
      answered: (requestId) => {
        this.#decisions.delete(idKey(requestId));
      },
      outcome: (requestId, _tool, isError, durationMs, result, raw) => {
        const decisionId = this.#decisions.get(idKey(requestId));
        this.#decisions.delete(idKey(requestId));
        if (decisionId === undefined) return;
        const outcome = {
          type: "outcome" as const,
          session: this.#o.session,
          decisionId,
          isError,
          durationMs: Math.round(durationMs * 1000) / 1000,
        };
        if (raw !== undefined) {
          this.#digestResponse(outcome, raw);
          return;
        }
        // Digested just after the response has gone to the client (see #outcomeSoon).
        this.#outcomeSoon(outcome, result);
      },
      lateOutcome: (_requestId, decisionId, _tool, isError, durationMs, result) => {
        // The server answered after the client cancelled: the decision still gets its
        // outcome, which follows the decision's cancellation record in the log.
        this.#outcomeSoon({
          type: "outcome",
          session: this.#o.session,
          decisionId,
          isError,
          durationMs: Math.round(durationMs * 1000) / 1000,
          afterCancellation: true,
        }, result);
      },
      cancelled: (requestId: JsonRpcId, _tool, reason?: string) => {
        const decisionId = this.#decisions.get(idKey(requestId));
        this.#decisions.delete(idKey(requestId));
        this.#later({
          type: "cancellation",
          session: this.#o.session,
          requestId,
          ...(decisionId === undefined ? {} : { decisionId }),
          reason: reason ?? "the client cancelled the call",
        });
      },
      lateDecision: (_call, verdict, requestId, reason) => {
        // By its decision id: the request id may name another call by now (not touched).
        this.#later({
          type: "cancellation",
          session: this.#o.session,
          requestId,
          decisionId: verdict.decisionId,
          reason,
        });
      },
      countTakenBack: (decisionId, taken) => {
        // After the take-back is done: by its decision id, as a late decision is.
        this.#later(countTakeBackRecord(this.#o.session, decisionId, taken));
      },
      toolUse: (call, samplingRequestId) => {
        this.#chosen.set(call, samplingRequestId);
      },
      toolUseEnded: (call, verdict, samplingRequestId, forwarded) => {
        this.#chosen.delete(call);
        // A blocked one has nothing to follow: its decision record says it all.
        if (verdict.decision === "block") return;
        this.#later({
          type: "cancellation",
          session: this.#o.session,
          requestId: samplingRequestId,
          decisionId: verdict.decisionId,
          reason: forwarded
            ? "chosen in a sampling answer that went to the server, which runs the tool; " +
              "thoth does not see its outcome"
            : "chosen in a sampling answer that thoth refused; the tool did not run",
        });
      },
      initialized: (handshake) => {
        const { client, server } = handshake;
        // The client's name and version are the client's choice: flagged ones are kept as digests.
        const named = (name: string) =>
          redactedName(name, (piece) => this.#o.log?.redactSync(piece).digest ?? "");
        this.#later({
          type: "handshake",
          session: this.#o.session,
          server: this.#o.server,
          ...(client?.name === undefined ? {} : { clientName: named(client.name) }),
          ...(client?.version === undefined ? {} : { clientVersion: named(client.version) }),
          ...(handshake.requestedVersion === undefined
            ? {}
            : { requestedVersion: handshake.requestedVersion }),
          ...(server?.name === undefined ? {} : { serverName: server.name }),
          ...(server?.version === undefined ? {} : { serverVersion: server.version }),
          ...(handshake.protocolVersion === undefined
            ? {}
            : { protocolVersion: handshake.protocolVersion }),
          ...(handshake.isError ? { isError: true as const } : {}),
        });
      },
      toolsListed: (_tools, definitions, page) => {
        // The session's end waits for it, as for a large response's digest.
        const snapshot: Promise<void> = this.#snapshotTools(definitions, page).catch((error) =>
          this.#o.note(`cannot record the tools the server listed: ${message(error)}`)
        ).finally(() => this.#digesting.delete(snapshot));
        this.#digesting.add(snapshot);
      },
      // Resources, prompts and completions the client asked for, and requests refused unread.
      request: this.#requestRecords(),
    };
  }

  /**
   * Records each governed request the relay tells of. One told as forwarded
   * whose record cannot be written (the log is failing, or there is none)
   * is refused instead, as a call is ("no evidence, no call"), but in
   * observe mode: false, and its record (which may be lost too) says refused.
   */
  #requestRecords(): (facts: ClientRequestFacts) => boolean {
    const o = this.#o;
    const record = requestRecorder({
      session: this.#o.session,
      server: this.#o.server,
      // Read at each record: a log the session awaits may open after this.
      get log() {
        return o.log;
      },
      later: (event) => this.#later(event),
      digesting: this.#digesting,
      note: (line) => this.#o.note(line),
    });
    return (facts) => {
      if (!facts.forwarded || this.#recording() || this.#o.mode === "observe") {
        record(facts);
        return true;
      }
      const refusal = { ruleId: AUDIT_UNWRITABLE_RULE, reason: UNRECORDED_REQUEST_REASON };
      record({ ...facts, forwarded: false, refusal });
      return false;
    };
  }

  /** The session's `tools_snapshot` records, made on the first listing. */
  #snapshots: ToolsSnapshots | undefined;

  /**
   * Records the session let go of while its log refused them: the tool
   * snapshots among them are recorded again (see `ToolsSnapshots.dropped`).
   */
  dropped(events: readonly Queued[]): void {
    this.#snapshots?.dropped(events);
  }

  /** The log takes batches again after records were let go (see `ToolsSnapshots.writable`). */
  writable(): void {
    this.#snapshots?.writable();
  }

  /**
   * Records a tools/list page whose tools differ from those last recorded
   * in the session for the same page, bounded in size (see
   * `tools_snapshots.ts`). A definition
   * that cannot be digested (nested past what canonical JSON writes) is named
   * in `undigested` and noted, and the others are still recorded.
   */
  #snapshotTools(definitions: readonly unknown[], page: ListedPage | undefined): Promise<void> {
    this.#snapshots ??= new ToolsSnapshots({
      session: this.#o.session,
      server: this.#o.server,
      later: (event) => this.#later(event),
      note: (line) => this.#o.note(line),
    });
    return this.#snapshots.listed(definitions, page);
  }

  /**
   * A response too large to parse gets its digest over the exact bytes,
   * hashed in slices after it was forwarded; its outcome record follows
   * when the digest is ready (the session's end waits for it).
   */
  #digestResponse(outcome: Omit<OutcomeEvent, "response" | "result">, raw: RawResponse): void {
    const log = this.#o.log;
    if (log === undefined) return;
    const digesting: Promise<void> = log.macParts(raw.parts, raw.bytes).then(
      (digest) => this.#later({ ...outcome, response: { digest, bytes: raw.bytes } }),
      (error) => {
        this.#o.note(`cannot digest a large response for the audit log: ${message(error)}`);
        this.#later(outcome);
      },
    ).finally(() => this.#digesting.delete(digesting));
    this.#digesting.add(digesting);
  }

  /**
   * A result as the log keeps it: its digest and shape only. `safeToLog`
   * names argument fields; a result field of the same name (an echo's
   * `content`) is whatever the server sent back, so it is never kept in clear.
   */
  #redactResult(value: unknown): RedactedValue {
    if (this.#o.log === undefined) return UNRECORDED;
    return this.#o.log.redactSync(value);
  }

  /**
   * Records an outcome with its result's digest once the current read is
   * handled: its response is then already written to the client, and the
   * parsed result, no longer needed, dies young. Held until the batch was
   * written instead, results outlived the young generation's collections,
   * which then copied them: measured, that cost the relay's thread more than
   * the digests themselves.
   */
  #outcomeSoon(outcome: Omit<OutcomeEvent, "result" | "response">, result: unknown): void {
    this.#outcomes.push({ outcome, result });
    if (this.#outcomes.length === 1) queueMicrotask(() => this.#recordOutcomes());
  }

  #recordOutcomes(): void {
    const outcomes = this.#outcomes;
    this.#outcomes = [];
    for (const { outcome, result } of outcomes) {
      let text: string;
      try {
        text = JSON.stringify(
          result === undefined ? outcome : { ...outcome, result: this.#redactResult(result) },
        );
      } catch (error) {
        this.#o.note(`cannot digest a result for the audit log: ${message(error)}`);
        text = JSON.stringify(outcome);
      }
      this.#later(text);
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
