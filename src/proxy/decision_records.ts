/**
 * The decision hand-off: an enforcer wrapped so that its verdict is
 * released only once the decision's record is in the session's spool
 * ("no evidence, no call"). A decision whose record cannot be written is
 * refused (in every mode but `observe`), and recorded as refused when the
 * log is failing, with what the policy said kept among its reasons; an
 * enforcer that throws blocks its call, and that block is recorded too.
 * A tool name no `tools/list` named is the client's or the model's, not the
 * server's: one the secret detectors flag is recorded (and said on stderr)
 * as its keyed digest and length, in the record's `tool` and its reasons
 * alike (see `redact_recorded_names.ts`); a listed name is kept as it is.
 *
 * @example
 * ```ts
 * const decisions = new DecisionRecords(options, writer, chosenInSampling);
 * const enforcer = decisions.wrap(localEnforcer);
 * const verdict = await enforcer.decide(call, newDecisionId); // its record is spooled first
 * ```
 */
import type { AuditEvent, DecisionEvent, RedactedValue } from "../audit/record.ts";
import {
  type DecisionIdSource,
  type Enforcer,
  enforcerFailedNote,
  enforcerFailedVerdict,
} from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import type { Digests } from "../audit/key_digests.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import { AUDIT_UNWRITABLE_RULE } from "../protocol/responses.ts";
import { blockNote, blockNoteWanted } from "./block_note.ts";
import { hiddenToolName } from "./hidden_tool_name.ts";
import type { SessionAuditOptions } from "./session_audit_options.ts";

/**
 * How a session writes its gating records (decisions, approvals): made once
 * per session by `SessionAudit`, which keeps the spool and the log.
 */
export interface GatingWriter {
  /** Whether the log refuses batches now (what lets a call through is then refused, but in observe mode). */
  broken(): boolean;
  /** Puts a gating record in the spool now; false, after one stderr line, when it cannot or the log is failing. */
  write(event: AuditEvent): boolean;
  /** Resolves once everything spooled so far is on the disk (see `SpoolGroupSync`); false when it is not. */
  synced(): Promise<boolean>;
  /**
   * Queues the cancellation that follows a record written as letting its call
   * through when the call was refused after all (`reason`: why; by default
   * that the spool could not be synced).
   */
  unsynced(decisionId: string, requestId?: JsonRpcId, reason?: string): void;
}

/** What a decision's record needs of its session's options (see `SessionAuditOptions`). */
export interface DecisionRecordsOptions extends
  Pick<
    SessionAuditOptions,
    "session" | "mode" | "policyHash" | "intent" | "safeFields" | "auditCommand" | "sync" | "note"
  > {
  /** The log's digests (the device key's while a log the session awaits is not open yet). */
  log: Digests | undefined;
}

/** Extra facts a local verdict carries (see `LocalVerdict`). */
interface VerdictFacts {
  evaluation?: { decision: Verdict["decision"] };
}

/** What stands for a value when there is no log to key its digest (nothing is recorded then). */
export const UNRECORDED: RedactedValue = { digest: "", shape: { t: "null" } };

/** Writes each decision's record before its verdict is released. */
export class DecisionRecords {
  readonly #o: DecisionRecordsOptions;
  readonly #writer: GatingWriter;
  /** Tools a model chose in a sampling answer, with the server's request id, until decided. */
  readonly #chosen: WeakMap<ToolCall, JsonRpcId>;

  constructor(
    options: DecisionRecordsOptions,
    writer: GatingWriter,
    chosen: WeakMap<ToolCall, JsonRpcId>,
  ) {
    this.#o = options;
    this.#writer = writer;
    this.#chosen = chosen;
  }

  /** Wraps an enforcer: its verdict is released only once its record is in the spool. */
  wrap(inner: Enforcer): Enforcer {
    return {
      name: inner.name ?? "enforcer",
      decide: (call: ToolCall, newDecisionId: DecisionIdSource): Verdict | Promise<Verdict> => {
        const failed = (error: unknown) => this.#failedDecision(call, newDecisionId, error);
        let verdict: Verdict | Promise<Verdict>;
        try {
          verdict = inner.decide(call, newDecisionId);
        } catch (error) {
          return failed(error);
        }
        return verdict instanceof Promise
          ? verdict.then((v) => this.#gate(call, v), failed).catch(failed)
          : this.#gate(call, verdict, failed);
      },
    };
  }

  #gate(
    call: ToolCall,
    verdict: Verdict,
    failed?: (error: unknown) => Verdict | Promise<Verdict>,
  ): Verdict | Promise<Verdict> {
    let args: RedactedValue | Promise<RedactedValue>;
    try {
      // A long integer's digits count in the digest (see `exact_integers.ts`).
      args = this.#redactArguments(call.exactArguments ?? call.arguments ?? {});
    } catch (error) {
      if (failed === undefined) throw error;
      return failed(error);
    }
    // Large arguments are digested natively, off the synchronous path; the
    // call waits for its record either way (a rejection blocks it: fail closed).
    return args instanceof Promise
      ? args.then((redacted) => this.#record(call, verdict, redacted), failed)
      : this.#record(call, verdict, args);
  }

  /**
   * The enforcer (or the digest of the arguments) threw: the call is blocked,
   * and that block is evidence like any other, so it is recorded too; its
   * stderr line is a block line with the failure as its reason.
   */
  #failedDecision(
    call: ToolCall,
    newDecisionId: DecisionIdSource,
    error: unknown,
  ): Verdict | Promise<Verdict> {
    const verdict = enforcerFailedVerdict(newDecisionId());
    return this.#record(call, verdict, UNRECORDED, enforcerFailedNote(error));
  }

  /**
   * Writes a decision's record to the spool, then releases the verdict (or
   * refuses the call); `failure` is why a failed enforcer blocked it.
   */
  #record(
    call: ToolCall,
    verdict: Verdict,
    args: RedactedValue,
    failure?: string,
  ): Verdict | Promise<Verdict> {
    const facts = verdict as Verdict & VerdictFacts;
    // Observe mode forwards what the policy would refuse, but not a call thoth itself blocks
    // whatever the mode (its own files, a failed enforcer): that one is "blocked".
    const effect: DecisionEvent["effect"] =
      this.#o.mode === "observe" && verdict.decision !== "block"
        ? "observed"
        : verdict.decision === "allow"
        ? "forwarded"
        : verdict.decision === "block"
        ? "blocked"
        : "approval_requested";
    const samplingRequestId = this.#chosen.get(call);
    const refused: Verdict = {
      decision: "block",
      decisionId: verdict.decisionId,
      ruleIds: [AUDIT_UNWRITABLE_RULE],
      reasons: ["the audit log cannot be written, and thoth does not act without evidence"],
    };
    // A call refused because the log is failing is recorded as refused (what the
    // client got), with what the policy said kept among the reasons.
    const refusing = this.#writer.broken() && this.#o.mode !== "observe";
    // A tool name the model chose may carry a secret: recorded and said by its digest then.
    const named = hiddenToolName(call, verdict.reasons, this.#o.log);
    const reasons = named?.reasons ?? verdict.reasons;
    const written = this.#writer.write({
      type: "decision",
      session: this.#o.session,
      server: call.server,
      tool: named?.tool ?? call.tool,
      decisionId: verdict.decisionId,
      verdict: facts.evaluation?.decision ?? verdict.decision,
      ruleIds: refusing ? refused.ruleIds : verdict.ruleIds,
      reasons: refusing ? [...refused.reasons, ...policyWords(verdict, reasons)] : reasons,
      mode: this.#o.mode,
      policyHash: this.#o.policyHash,
      intent: this.#o.intent,
      effect: refusing ? "blocked" : effect,
      ...(samplingRequestId === undefined ? {} : { samplingRequestId }),
      args,
    });
    if (
      verdict.decision === "block" && (failure !== undefined || blockNoteWanted(verdict.ruleIds))
    ) {
      // The model hears a short refusal (see `responses.ts`); the person at the
      // machine hears one line per block, whole, with how to look it up.
      const shown = { server: call.server, tool: named?.tool ?? call.tool };
      this.#o.note(blockNote(shown, { ...verdict, reasons: failure ? [failure] : reasons }, {
        auditCommand: this.#o.auditCommand ?? "thoth audit",
        recorded: written,
        chosenInSampling: samplingRequestId !== undefined,
      }));
    }
    if (!written) return this.#o.mode === "observe" ? verdict : refused;
    if (this.#o.sync !== "always") return verdict;
    return this.#writer.synced().then((ok) => {
      if (ok || this.#o.mode === "observe") return verdict;
      // Its record (forwarded, say) is written: what follows says the call was refused.
      if (!refusing && effect !== "blocked") this.#writer.unsynced(verdict.decisionId);
      return refused;
    });
  }

  #redactArguments(value: unknown): RedactedValue | Promise<RedactedValue> {
    if (this.#o.log === undefined) return UNRECORDED;
    return this.#o.log.redactFast(value, this.#o.safeFields);
  }
}

/** What the enforcer decided of a call the failing log refused, for its record's reasons. */
function policyWords(verdict: Verdict, reasons: readonly string[]): string[] {
  const rules = verdict.ruleIds.length === 0 ? "" : ` (rules: ${verdict.ruleIds.join(", ")})`;
  return [`the enforcer decided: ${verdict.decision}${rules}`, ...reasons];
}
