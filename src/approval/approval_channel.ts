/**
 * The seam every approval channel plugs into: elicitation, the OS dialog,
 * the local queue and (later) the remote enforcer's approval API. A channel
 * says whether it can work for a request and asks one question; the
 * approver owns the timeout, progress, grants and the words for the model.
 *
 * @example
 * ```ts
 * const remote: ApprovalChannel = {
 *   name: "remote",
 *   available: () => true,
 *   ask: async ({ question, signal }) => ({ kind: "timeout" }),
 * };
 * ```
 */
import type { ApprovalRequest } from "../proxy/relay_session.ts";
import type { ApprovalQuestion } from "./approval_question.ts";
import type { GrantScope } from "./grant_store.ts";
import type { AnswerGiven } from "./answer_given.ts";

/**
 * Told, by the approver, that a person's answer did not decide the call:
 * the call was withdrawn first (`reason` says how). The queue records it
 * next to the request, so its listing does not call the call approved.
 */
export type AnswerUnused = (reason: string) => Promise<void>;

/**
 * Called by whoever records the answer in the audit (the session's audit
 * wrapper), once the approval record that names it is written: the queue
 * then marks the answer taken, so that pruning may let it go. Not called
 * when the record could not be written, nor for an answer no record names:
 * the answer then stays on file, the only trace of what the person said.
 * Resolves false when the mark could not be made (the channel said why on
 * stderr): an approval is then refused after its record (see
 * {@linkcode UNTAKEN_REASON}), since `thoth approvals list` says of an
 * approval whose thoth ended without the mark that its call did not run.
 */
export type AnswerTaken = () => Promise<boolean>;

/**
 * Why an approved call was refused after all: its answer in the queue could
 * not be marked taken (see {@linkcode AnswerTaken}). The model, the
 * approval's `cancellation` record and the client hear it.
 */
export const UNTAKEN_REASON = "the approval could not be marked taken in the approval queue, " +
  "so thoth did not forward the call";

/** What a channel heard back. */
export type ChannelAnswer =
  | {
    kind: "approve";
    scope: GrantScope;
    /** Who approved: an OS user, a client, a remote approver. */
    approver: string;
    /** The digest the person approved; must equal the question's. */
    digest: string;
    /**
     * What the answer said when the channel took it for less: `session` from
     * a queue answer where that choice was not offered, allowed once.
     */
    said?: GrantScope;
    /** See {@linkcode AnswerUnused}. */
    unused?: AnswerUnused;
    /** See {@linkcode AnswerTaken}. */
    taken?: AnswerTaken;
    /** How a queue answer says it was given (see `answer_given.ts`), for the audit. */
    given?: AnswerGiven;
  }
  | {
    kind: "deny";
    approver: string;
    reason?: string;
    unused?: AnswerUnused;
    taken?: AnswerTaken;
    given?: AnswerGiven;
  }
  /**
   * The prompt was dismissed without a choice: by `approver` when the
   * channel knows who (a client's Cancel); none for a dialog closed or
   * escaped, where no one chose.
   */
  | { kind: "cancel"; approver?: string; taken?: AnswerTaken }
  /**
   * The channel gave up waiting (its own timeout); `unshown` says why the
   * question never reached anyone when it did not (a dialog that waited
   * for an earlier one until its time was nearly up).
   */
  | { kind: "timeout"; unshown?: string; taken?: AnswerTaken }
  /**
   * The question reached no one (no desktop to show a dialog on, a client
   * that cannot elicit): the approver tries the next channel before the same
   * deadline. Only for a failure no person can have seen.
   */
  | { kind: "unreachable"; message: string; taken?: AnswerTaken }
  /** The channel asked, or may have, but could not read the answer. */
  | { kind: "error"; message: string; taken?: AnswerTaken };

/** One question put to a channel. */
export interface ChannelAsk {
  question: ApprovalQuestion;
  request: ApprovalRequest;
  /** Aborted at the approval timeout or when the client cancels the call. */
  signal: AbortSignal;
  /** Epoch milliseconds when the wait ends. */
  deadline: number;
  /** Whether "allow for this session" may be offered. */
  allowSession: boolean;
}

/** A place a person can answer. */
export interface ApprovalChannel {
  /** "elicitation", "dialog", "queue", "remote": recorded in the audit. */
  readonly name: string;
  /** Whether this channel can reach a person for this request. */
  available(request: ApprovalRequest): boolean | Promise<boolean>;
  /** Asks; resolves when answered, or soon after `signal` aborts. */
  ask(ask: ChannelAsk): Promise<ChannelAnswer>;
}
