/**
 * One session's evidence: wraps the enforcer so that every decision record is
 * handed to the OS before the call may be forwarded, wraps the approval
 * channel the same way, and turns relay events into audit records. When the
 * log cannot be written, calls are blocked in every mode but `observe`
 * (fail closed), which forwards and warns.
 *
 * @example
 * ```ts
 * const audit = new SessionAudit({ log, session, server, mode: "block", policyHash, intent: null, safeFields: [], note });
 * const enforcer = audit.wrapEnforcer(localEnforcer);
 * ```
 */
import type { AuditLog } from "../audit/audit_log.ts";
import type { AuditEvent, DecisionEvent } from "../audit/record.ts";
import { sha256Json } from "../audit/session_digests.ts";
import type { DecisionIdSource, Enforcer } from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import { idKey, type JsonRpcId } from "../protocol/jsonrpc_message.ts";
import type {
  ApprovalOutcome,
  ApprovalRequest,
  Approver,
  RelayEvents,
  StatelessApprovalStep,
} from "./relay_session.ts";

/** Options of a {@linkcode SessionAudit}. */
export interface SessionAuditOptions {
  /** The open log, or undefined when it could not be opened (`openError` says why). */
  log: AuditLog | undefined;
  openError?: string | undefined;
  session: string;
  server: string;
  mode: string;
  policyHash: string;
  intent: string | null;
  /** Argument fields the policy names safe to log in clear. */
  safeFields: readonly string[];
  note: (message: string) => void;
}

/** How long a record that gates nothing may wait to share a write. */
export const DEFER_MS = 50;

/** Extra facts a local verdict carries (see `LocalVerdict`). */
interface VerdictFacts {
  evaluation?: { decision: Verdict["decision"] };
  action?: { action: string };
}

/** Records one session and enforces "no evidence, no call". */
export class SessionAudit {
  readonly #o: SessionAuditOptions;
  readonly #decisions = new Map<string, string>();
  #warned = false;
  #deferred: AuditEvent[] = [];
  #deferTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SessionAuditOptions) {
    this.#o = options;
    if (options.log === undefined) this.#failure(options.openError ?? "the audit log is not open");
  }

  /** Whether decisions are being recorded. */
  get recording(): boolean {
    return this.#o.log !== undefined;
  }

  /** The session's first record. */
  async start(command: string, args: readonly string[], envKeys: readonly string[]): Promise<void> {
    await this.#append({
      type: "session_start",
      session: this.#o.session,
      server: this.#o.server,
      commandDigest: await sha256Json([command, ...args]),
      envKeys: [...envKeys].sort(),
      mode: this.#o.mode,
    }, false);
  }

  /** The session's last record, then the final checkpoint. */
  async end(exitCode: number | null, signal: string | null): Promise<void> {
    this.#takeDeferred();
    await this.#append({ type: "session_end", session: this.#o.session, exitCode, signal }, false);
    try {
      await this.#o.log?.close();
    } catch (error) {
      this.#failure(error instanceof Error ? error.message : String(error));
    }
  }

  /** Wraps an enforcer: its verdict stands only once its record is written. */
  wrapEnforcer(inner: Enforcer): Enforcer {
    return {
      name: inner.name ?? "enforcer",
      decide: async (call: ToolCall, newDecisionId: DecisionIdSource): Promise<Verdict> => {
        const verdict = await inner.decide(call, newDecisionId);
        const facts = verdict as Verdict & VerdictFacts;
        const effect: DecisionEvent["effect"] = this.#o.mode === "observe"
          ? "observed"
          : verdict.decision === "allow"
          ? "forwarded"
          : verdict.decision === "block"
          ? "blocked"
          : "approval_requested";
        const written = await this.#append({
          type: "decision",
          session: this.#o.session,
          server: call.server,
          tool: call.tool,
          decisionId: verdict.decisionId,
          verdict: facts.evaluation?.decision ?? verdict.decision,
          ruleIds: verdict.ruleIds,
          reasons: verdict.reasons,
          mode: this.#o.mode,
          policyHash: this.#o.policyHash,
          intent: this.#o.intent,
          effect,
          args: await this.#redact(call.arguments ?? {}),
        }, true);
        if (written || this.#o.mode === "observe") return verdict;
        return {
          decision: "block",
          decisionId: verdict.decisionId,
          ruleIds: ["audit.unwritable"],
          reasons: ["the audit log cannot be written, and thoth does not act without evidence"],
        };
      },
    };
  }

  /** Wraps an approval channel: the answer counts only once its record is written. */
  wrapApprover(inner: Approver): Approver {
    const record = async (
      request: ApprovalRequest,
      outcome: ApprovalOutcome,
    ): Promise<ApprovalOutcome> => {
      const written = await this.#append({
        type: "approval",
        session: this.#o.session,
        decisionId: request.verdict.decisionId,
        channel: outcome.channel ?? "unknown",
        ...(outcome.approver === undefined ? {} : { approver: outcome.approver }),
        outcome: approvalOutcome(outcome, request.signal.aborted),
      }, true);
      if (written || !outcome.approved || this.#o.mode === "observe") return outcome;
      return {
        ...outcome,
        approved: false,
        why: "the approval could not be recorded in the audit log",
      };
    };
    const wrapped: Approver = async (request) => await record(request, await inner(request));
    const stateless = inner.stateless;
    if (stateless !== undefined) {
      wrapped.stateless = async (request, params): Promise<StatelessApprovalStep> => {
        const step = await stateless(request, params);
        if (step.kind !== "decided") return step;
        return { ...step, outcome: await record(request, step.outcome) };
      };
    }
    return wrapped;
  }

  /** Relay events that become records (after the fact; they never hold traffic). */
  events(): RelayEvents {
    return {
      decision: (_call, verdict, requestId) => {
        this.#decisions.set(idKey(requestId), verdict.decisionId);
      },
      outcome: (requestId, _tool, isError, durationMs, result) => {
        const decisionId = this.#decisions.get(idKey(requestId));
        this.#decisions.delete(idKey(requestId));
        if (decisionId === undefined) return;
        void (async () => {
          this.#later({
            type: "outcome",
            session: this.#o.session,
            decisionId,
            isError,
            durationMs: Math.round(durationMs * 1000) / 1000,
            ...(result === undefined ? {} : { result: await this.#redact(result) }),
          });
        })();
      },
      cancelled: (requestId: JsonRpcId) => {
        const decisionId = this.#decisions.get(idKey(requestId));
        this.#decisions.delete(idKey(requestId));
        this.#later({
          type: "cancellation",
          session: this.#o.session,
          requestId,
          ...(decisionId === undefined ? {} : { decisionId }),
          reason: "the client cancelled the call",
        });
      },
      toolsListed: (_tools, definitions) => {
        void (async () => {
          const tools: { name: string; digest: string }[] = [];
          for (const definition of definitions) {
            const name = (definition as { name?: unknown })?.name;
            if (typeof name === "string") {
              tools.push({ name, digest: await sha256Json(definition) });
            }
          }
          this.#later({
            type: "tools_snapshot",
            session: this.#o.session,
            server: this.#o.server,
            tools,
          });
        })();
      },
    };
  }

  async #redact(value: unknown) {
    if (this.#o.log === undefined) return { digest: "", shape: { t: "null" as const } };
    return await this.#o.log.redact(value, this.#o.safeFields);
  }

  /**
   * Records that gate nothing (outcomes, cancellations, tool snapshots) wait
   * up to {@linkcode DEFER_MS} so that they share the next decision's write:
   * one lock and one write per call instead of two. Decision and approval
   * records are never deferred.
   */
  #later(event: AuditEvent): void {
    this.#deferred.push(event);
    if (this.#deferTimer === undefined) {
      this.#deferTimer = setTimeout(() => this.#takeDeferred(), DEFER_MS);
      Deno.unrefTimer(this.#deferTimer);
    }
  }

  /** Hands deferred records to the log now, in order, ahead of whatever comes next. */
  #takeDeferred(): void {
    if (this.#deferTimer !== undefined) clearTimeout(this.#deferTimer);
    this.#deferTimer = undefined;
    const events = this.#deferred;
    this.#deferred = [];
    for (const event of events) void this.#append(event, false, false);
  }

  /** Appends; returns false (after one stderr line) when the log cannot be written. */
  async #append(event: AuditEvent, gate: boolean, takeDeferred = true): Promise<boolean> {
    const log = this.#o.log;
    if (log === undefined) return false;
    if (takeDeferred) this.#takeDeferred();
    try {
      await log.append(event);
      this.#warned = false;
      return true;
    } catch (error) {
      this.#failure(error instanceof Error ? error.message : String(error), gate);
      return false;
    }
  }

  #failure(reason: string, gate = true): void {
    if (this.#warned) return;
    this.#warned = true;
    const consequence = this.#o.mode === "observe"
      ? "calls are forwarded anyway in observe mode"
      : gate
      ? "tool calls are blocked until it can be written (fail closed)"
      : "tool calls will be blocked if decisions cannot be recorded";
    this.#o.note(`error: cannot write the audit log: ${reason}; ${consequence}`);
    this.#o.note(
      'hint: check free space and permissions under THOTH_HOME, then run "thoth doctor"',
    );
  }
}

function approvalOutcome(outcome: ApprovalOutcome, aborted: boolean) {
  if (outcome.approved) return "approved" as const;
  if (aborted) return "cancelled" as const;
  if (/time|no one answered/i.test(outcome.why)) return "timeout" as const;
  return outcome.channel === undefined ? "error" as const : "denied" as const;
}
