/**
 * The embedded enforcer: a compiled policy, an enforcement mode, the server's
 * session intent and, for progressive mode, a violation counter. `decide`
 * answers synchronously unless progressive mode must consult an asynchronous
 * counter for a violation (the relay then waits on the promise). Progressive
 * mode records one violation of every rule the call violates (the
 * evaluation's `violatedIds`), and the worst-counted of them sets the rung; the verdict
 * carries what it counted (`counted`), to be taken back if the call does not
 * happen after all (see `progressive_take_back.ts`). The verdict's
 * `decision` is what the relay must do (`allow` forwards, `block` rejects,
 * `step_up` asks); the full evaluation and action ride along for audit.
 * If the counter fails, the call is blocked: the enforcer fails closed. Its
 * reasons (for the audit record) say what failed, naming thoth's files; the
 * model is told only that the counters are unavailable (`shownReasons`), and
 * the person at the machine gets the failure and its remedy on stderr, once
 * per cause (`counterWarning`).
 * A call whose arguments reach thoth's own profile folder (`thoth.own_files`,
 * see `own_files.ts`) is blocked in every mode, observe included, and
 * counts toward nothing.
 * A call the relay marked as the retry of one a person was already asked
 * about (see `ApprovalRetryMark`) is that same call: progressive mode
 * decides it at the rung that asked (step-up) and does not count it again.
 *
 * @example
 * ```ts
 * const enforcer = new LocalEnforcer({
 *   policy: compilePolicy(parsePolicy(text, "policy.jsonc")),
 *   mode: "block",
 *   intent: undefined,
 *   userId: "ana@example.org",
 * });
 * const verdict = enforcer.decide(call, () => crypto.randomUUID());
 * ```
 */
import { checkIntent } from "../policy/check_intent.ts";
import { AppError } from "../errors.ts";
import { ProgressiveStateError } from "./progressive_store.ts";
import type { CountedViolations } from "./progressive_take_back.ts";
import { showName } from "../identity/shown_env_value.ts";
import { shownName } from "../approval/shown_name.ts";
import { notedToolName } from "./noted_tool_name.ts";
import type { Action } from "../policy/action.ts";
import { applyMode } from "../policy/apply_mode.ts";
import type { CompiledPolicy } from "../policy/compiled_policy.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import { evaluate } from "../policy/evaluate.ts";
import type { Evaluation } from "../policy/evaluation.ts";
import { MemoryViolationCounter } from "../policy/memory_violation_counter.ts";
import { ownFilesAction, reachesOwnFiles } from "../policy/own_files.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Decision, Verdict } from "../policy/verdict.ts";
import type { ViolationCounter } from "../policy/violation_counter.ts";
import { approvalRetryOf, type DecisionIdSource, type Enforcer } from "./enforcer.ts";

/** How to build a {@linkcode LocalEnforcer}. */
export interface LocalEnforcerOptions {
  policy: CompiledPolicy;
  mode: EnforcementMode;
  /** The server's session intent; must name an intent of the policy. */
  intent?: string | undefined;
  /** Who is calling (THOTH_USER_ID); progressive counts are per user. */
  userId: string;
  /** Progressive counts; defaults to an in-memory counter (use `ProgressiveStore` to persist). */
  counter?: ViolationCounter | undefined;
  /** Clock for the progressive window; defaults to `Date.now`. */
  now?: (() => number) | undefined;
}

/** A verdict plus everything audit and the relay need to know about it. */
export interface LocalVerdict extends Verdict {
  evaluation: Evaluation;
  action: Action;
  mode: EnforcementMode;
  /** Set when the call is forwarded with a warning: print as `thoth: warning: …` on stderr. */
  warn: string | undefined;
  /**
   * What the model is told in place of `reasons`, when those name thoth's
   * own files (a failure of the progressive counters); `reasons` are for the
   * audit record.
   */
  shownReasons?: string[];
  /**
   * Set when the progressive counters failed: print `text` as
   * `thoth: warning: …` on stderr once per session for each `cause` (the
   * calls that follow fail of the same cause).
   */
  counterWarning?: { cause: string; text: string };
  /**
   * What progressive mode counted for this call, when it did: taken back if
   * the call does not happen after all (see `progressive_take_back.ts`).
   */
  counted?: CountedViolations;
}

/** What the model is told of a violation blocked because the progressive counters failed. */
export const COUNTERS_UNAVAILABLE =
  "thoth's progressive counters are unavailable, so this violation is blocked";

const DECISION_OF: Readonly<Record<Action["action"], Decision>> = {
  forward: "allow",
  forward_warn: "allow",
  step_up: "step_up",
  block: "block",
};

/** The local policy engine behind the `Enforcer` seam. */
export class LocalEnforcer implements Enforcer {
  readonly name = "local";
  readonly #policy: CompiledPolicy;
  readonly #mode: EnforcementMode;
  readonly #intent: string | undefined;
  readonly #userId: string;
  readonly #counter: ViolationCounter;
  readonly #now: () => number;

  /** Builds the enforcer; throws `policy.unknown_intent` for an intent the policy lacks. */
  constructor(options: LocalEnforcerOptions) {
    checkIntent([...options.policy.intents.keys()], options.intent, showName);
    this.#policy = options.policy;
    this.#mode = options.mode;
    this.#intent = options.intent;
    this.#userId = options.userId;
    this.#counter = options.counter ?? new MemoryViolationCounter();
    this.#now = options.now ?? Date.now;
  }

  /** The mode this enforcer applies. */
  get mode(): EnforcementMode {
    return this.#mode;
  }

  /** Decides one call. */
  decide(call: ToolCall, newDecisionId: DecisionIdSource): LocalVerdict | Promise<LocalVerdict> {
    const evaluation = evaluate(this.#policy, call, { intent: this.#intent });
    const own = reachesOwnFiles(evaluation);
    if (own !== undefined) {
      return this.#verdict(call, evaluation, ownFilesAction(this.#mode, own), newDecisionId);
    }
    if (this.#mode !== "progressive" || evaluation.decision === "allow") {
      return this.#verdict(call, evaluation, applyMode(evaluation, this.#mode), newDecisionId);
    }
    const retry = approvalRetryOf(call);
    if (retry !== undefined) {
      // The call that asked was counted; its retry carries the answer (or the
      // server's follow-up to a call allowed) and needs that approval, nothing more.
      return this.#verdict(call, evaluation, {
        ...applyMode(evaluation, "progressive"),
        action: "step_up",
        ladder: "step_up",
        violationNumber: undefined,
        explanation: `progressive mode: this retry carries the ${
          retry.kind === "answer" ? "answer to" : "server's follow-up on"
        } approval request ${retry.askedDecisionId}; not counted again: needs approval`,
      }, newDecisionId);
    }
    const p = this.#policy.progressive;
    const counted: CountedViolations = {
      key: { server: call.server, user: this.#userId },
      ruleIds: [...new Set(evaluation.violatedIds)],
      atMs: this.#now(),
    };
    const ladder = (prior: Readonly<Record<string, number>>): LocalVerdict => ({
      ...this.#verdict(
        call,
        evaluation,
        applyMode(evaluation, "progressive", {
          priorViolations: prior,
          stepUpAfter: p.stepUpAfter,
          blockAfter: p.blockAfter,
          window: p.window,
        }),
        newDecisionId,
      ),
      counted,
    });
    const failClosed = (error: unknown): LocalVerdict => {
      const detail = error instanceof Error ? error.message : String(error);
      const hints = error instanceof AppError ? error.hints : [];
      const verdict = this.#verdict(call, evaluation, {
        ...applyMode(evaluation, "progressive"),
        action: "block",
        ladder: "block",
        violationNumber: undefined,
        explanation: `progressive counters unavailable, failing closed: ${detail}`,
      }, newDecisionId);
      return {
        ...verdict,
        shownReasons: [COUNTERS_UNAVAILABLE, ...evaluation.reasons],
        counterWarning: {
          cause: error instanceof ProgressiveStateError ? error.sameCause : detail,
          text: [
            detail,
            ...(error instanceof ProgressiveStateError && error.until !== undefined
              ? []
              : ["every violation is blocked until this is fixed"]),
            ...hints,
          ].join("; "),
        },
      };
    };
    try {
      // Every violated rule is counted, not only the ones that decided the call: a
      // step_up rule broken alongside a block rule has still been broken.
      const prior = this.#counter.recordViolations(
        counted.key,
        evaluation.violatedIds,
        counted.atMs,
        p.windowMs,
      );
      return prior instanceof Promise ? prior.then(ladder, failClosed) : ladder(prior);
    } catch (error) {
      return failClosed(error);
    }
  }

  #verdict(
    call: ToolCall,
    evaluation: Evaluation,
    action: Action,
    newDecisionId: DecisionIdSource,
  ): LocalVerdict {
    const decision = DECISION_OF[action.action];
    const reasons = action.violation && (action.mode !== "block" || decision !== action.wouldHave)
      ? [action.explanation, ...evaluation.reasons]
      : [...evaluation.reasons];
    return {
      decision,
      decisionId: newDecisionId(),
      ruleIds: [...evaluation.ruleIds],
      reasons,
      evaluation,
      action,
      mode: this.#mode,
      warn: action.action === "forward_warn" ? warning(call, evaluation, action) : undefined,
    };
  }
}

/**
 * The stderr warning of a call progressive mode forwards: which call, that
 * it was forwarded, and the explanation (which rule, which violation, the
 * rungs ahead); the other rules it violates, when there are more.
 */
function warning(call: ToolCall, evaluation: Evaluation, action: Action): string {
  const others = evaluation.violatedIds.length > 1
    ? ` violates rules ${evaluation.violatedIds.map((id) => JSON.stringify(id)).join(", ")} and`
    : "";
  return `tool ${notedToolName(call)} on server ${
    shownName(call.server)
  }${others} was forwarded; ${action.explanation}`;
}
