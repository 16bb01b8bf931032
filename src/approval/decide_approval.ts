/**
 * `decideApproval()`: how one session's approver decides one STEP_UP. A
 * session grant for the same digest decides it; else the first channel that
 * can work here asks a person, up to the timeout, and the answer (or its
 * absence) becomes the outcome, with a single-use grant bound to the digest
 * of (server, tool, canonical arguments) when a person allowed it.
 *
 * @example
 * ```ts
 * const heard: { answer: ChannelAnswer | undefined } = { answer: undefined };
 * const outcome = await decideApproval(session, request, heard);
 * ```
 */
import { notedToolName } from "../enforcer/noted_tool_name.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { ApprovalOutcome, ApprovalRequest } from "../proxy/relay_session.ts";
import type { ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import { approvalProgress } from "./approval_progress.ts";
import { approvalQuestion } from "./approval_question.ts";
import type { ApproverOptions } from "./approver_options.ts";
import { argumentDigest } from "./argument_digest.ts";
import { askChannels, type ChannelsAsked, firstAvailable } from "./ask_channels.ts";
import { displayText } from "./display_text.ts";
import { standingGrantOutcome, withRevoke } from "./grant_facts.ts";
import type { GrantStore } from "./grant_store.ts";
import { inexactNumber } from "./inexact_number.ts";
import { queueTimeoutWhy } from "./queue_notes.ts";
import { seconds } from "./seconds.ts";
import type { ServerFollowUps } from "./server_follow_ups.ts";
import { shownName } from "./shown_name.ts";

/** What one session's approver decides with: its settings, grants and channels. */
export interface ApprovalSession {
  /** The options the approver was made with (its `note` and `sessionWithheld`). */
  readonly options: ApproverOptions;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly progressMs: number;
  readonly allowSession: boolean;
  /** Told to the person with each question (why "allow for this session" is not offered). */
  readonly notes: string[] | undefined;
  readonly grants: GrantStore;
  readonly followUps: ServerFollowUps;
  readonly stateTtlMs: number;
  /** When each question was put, for the latency of a late answer. */
  readonly askedAt: WeakMap<ApprovalRequest, number>;
  readonly channels: readonly ApprovalChannel[];
  readonly safeFieldsFor: (call: ToolCall) => readonly string[];
}

const noChannel = (): ApprovalOutcome => ({
  approved: false,
  kind: "error",
  why: "no approval channel is available here",
  latencyMs: 0,
});

/**
 * Decides `request` for `session`; `heard.answer` is set to the answer a
 * channel gave, if one did (its `taken` marks a queued answer taken).
 */
export async function decideApproval(
  session: ApprovalSession,
  request: ApprovalRequest,
  heard: { answer: ChannelAnswer | undefined },
): Promise<ApprovalOutcome> {
  const {
    options,
    now,
    timeoutMs,
    progressMs,
    allowSession,
    notes,
    grants,
    followUps,
    stateTtlMs,
    askedAt,
    channels,
    safeFieldsFor,
  } = session;
  const started = now();
  const { call } = request;
  // No one is asked while a grant is looked for: a client that leaves meanwhile only
  // aborts the signal, and the grant still decides (see `ApprovalStage`).
  request.stage?.("looking");
  const digest = await argumentDigest(call.server, call.tool, call.arguments);
  // A number JSON.parse may have changed makes the digest ambiguous: no
  // session grant covers such a call, and none is made from it.
  const exact = inexactNumber(call.arguments) === undefined;
  const standing = exact ? grants.sessionGrant(digest, now()) : undefined;
  if (standing !== undefined) return standingGrantOutcome(standing);
  if (request.signal.aborted) {
    const first = await firstAvailable(channels, 0, request);
    if (first === undefined) return noChannel();
    return {
      approved: false,
      kind: "cancelled",
      why: abortReason(request.signal) ?? "the client cancelled the call",
      channel: channels[first]!.name,
      latencyMs: now() - started,
    };
  }
  const question = {
    ...approvalQuestion(call, request.verdict, digest, safeFieldsFor(call)),
    ...(notes === undefined ? {} : { notes }),
    answerWithinMs: timeoutMs,
  };
  // From here a person is asked: told in the same turn as the abort check above.
  request.stage?.("asking");
  askedAt.set(request, started);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error("approval timed out")), timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout.signal]);
  const deadline = started + timeoutMs;
  const reporter = approvalProgress(request, deadline, progressMs, now);
  // The first channel that can work here asks; one that reached no one
  // hands over to the next, before the same deadline.
  let asked: ChannelsAsked;
  try {
    asked = await askChannels(
      channels,
      { question, request, signal, deadline, allowSession: allowSession && exact },
      (name) => reporter.waitingIn(name),
    );
  } finally {
    clearTimeout(timer);
    reporter.stop();
  }
  const { channel, answer, unreached } = asked;
  heard.answer = answer;
  if (channel === undefined || answer === undefined) return noChannel();
  const latencyMs = now() - started;
  // How a person's queue answer says it was given goes to the audit with it (answer_given.ts).
  const given = (answer.kind === "approve" || answer.kind === "deny") && answer.given !== undefined
    ? { given: answer.given }
    : {};
  const base = { channel: channel.name, latencyMs, ...given };
  if (request.signal.aborted) {
    const withdrawn = abortReason(request.signal) ??
      "the client cancelled the call while it waited";
    if (answer.kind !== "approve" && answer.kind !== "deny" && answer.kind !== "cancel") {
      return { ...base, approved: false, kind: "cancelled", why: withdrawn };
    }
    // A person answered, but too late to count: the record keeps who and what
    // (the queue's listing too, where the channel can say so).
    if (answer.kind !== "cancel") await answer.unused?.(withdrawn);
    const said = answer.kind === "approve"
      ? `a person allowed it ${answer.scope === "session" ? "for this session" : "once"}`
      : answer.kind === "deny"
      ? "a person denied it"
      : answer.approver === undefined
      ? "the approval prompt was closed without a choice"
      : "a person dismissed the approval prompt";
    return {
      ...base,
      approved: false,
      kind: "cancelled",
      ...(answer.approver === undefined ? {} : { approver: answer.approver }),
      why: `${said}, but the answer came after the call was withdrawn ` +
        `(${withdrawn}), so the call did not run`,
    };
  }
  if (answer.kind === "unreachable") {
    // Fail closed, naming every channel tried and why it reached no one.
    const tried = unreached.join("; ");
    return signal.aborted
      ? {
        ...base,
        approved: false,
        kind: "timeout",
        why: `no one could be reached within ${seconds(timeoutMs)}: ${tried}`,
      }
      : {
        ...base,
        approved: false,
        kind: "error",
        why: `no approval channel could reach a person: ${tried}`,
      };
  }
  switch (answer.kind) {
    case "approve": {
      const issuedAt = now();
      // Only this held call runs (its own bytes) when its digest is ambiguous, and
      // a session yes counts once where the choice was not offered (progressive
      // mode), whatever the channel sent (a queue answer written by hand, say).
      const offered = allowSession && exact;
      const scope = offered ? answer.scope : "once";
      const narrowed = scope !== (answer.said ?? answer.scope);
      if (narrowed && exact) {
        options.note?.(
          `an answer "allow for this session" to decision ${
            displayText(request.verdict.decisionId, 64)
          } came through the ${channel.name} channel, where that choice is not offered; ` +
            "it allowed this call once",
        );
      }
      const id = grants.issue({
        digest: answer.digest,
        scope,
        expiresAt: scope === "session" ? Infinity : issuedAt + timeoutMs,
        approver: answer.approver,
        channel: channel.name,
      });
      const redeemed = grants.redeem(id, digest, issuedAt);
      if (redeemed.ok && exact && scope === "once" && call.era === "stateless") {
        // The server may answer with its own input_required: its retry is this call.
        followUps.forwarded(request.requestId, {
          digest,
          tool: call.tool,
          approver: answer.approver,
          decisionId: request.verdict.decisionId,
          askedDecisionId: request.verdict.decisionId,
          expiresAt: issuedAt + stateTtlMs,
        }, issuedAt);
      }
      if (!redeemed.ok) {
        return {
          ...base,
          approved: false,
          kind: "denied",
          approver: answer.approver,
          why: "the approval given was for different arguments, so thoth refused it",
        };
      }
      return withRevoke(
        {
          ...base,
          approved: true,
          kind: "approved",
          scope,
          approver: answer.approver,
          said: (answer.said ?? answer.scope) === "session" ? "allow_session" : "allow_once",
          why: scope === "session"
            ? `${answer.approver} allowed it for this session`
            : narrowed && !exact
            ? `${answer.approver} allowed it once (a number in the arguments is too large ` +
              `to compare exactly, so it was not allowed for the session)`
            : narrowed
            ? `${answer.approver} allowed it once ("allow for this session" is not offered ` +
              `here${options.sessionWithheld === undefined ? "" : `: ${options.sessionWithheld}`})`
            : `${answer.approver} allowed it once`,
        },
        grants,
        redeemed.grant,
      );
    }
    case "deny":
      return {
        ...base,
        approved: false,
        kind: "denied",
        approver: answer.approver,
        // Who is in the record (`approver`), not in these words for the model.
        why: "a person denied it" +
          (answer.reason ? `, saying "${displayText(answer.reason, 200)}"` : ""),
      };
    case "cancel":
      // A dialog closed or escaped names no approver: no one chose.
      return answer.approver === undefined
        ? {
          ...base,
          approved: false,
          kind: "dismissed",
          why: "the approval prompt was closed without a choice",
        }
        : {
          ...base,
          approved: false,
          kind: "dismissed",
          approver: answer.approver,
          why: "a person dismissed the approval prompt without approving",
        };
    case "timeout":
      return {
        ...base,
        approved: false,
        kind: "timeout",
        why: channel.name === "queue"
          ? queueTimeoutWhy(seconds(timeoutMs))
          : answer.unshown !== undefined
          ? `no one answered within ${seconds(timeoutMs)}, so the request timed out ` +
            `(${answer.unshown})`
          : `no one answered within ${seconds(timeoutMs)}, so the request timed out`,
      };
    case "error": {
      const cause = displayText(answer.message, 200);
      // The model is told thoth's message in the client's log says why: this is it. The
      // queue says its own (the answer file and what is wrong with it).
      if (channel.name !== "queue") options.note?.(channelFailedNote(channel.name, request, cause));
      return {
        ...base,
        approved: false,
        kind: "error",
        why: `the ${channel.name} approval channel failed (${cause})`,
      };
    }
  }
}

/**
 * The stderr line for a call whose approval channel failed: which call, its
 * decision, the channel, the cause, and where to look next, for that
 * channel: `thoth doctor` checks the dialogs of this machine, not what an
 * MCP client's approval form answers.
 */
function channelFailedNote(
  channel: string,
  request: ApprovalRequest,
  cause: string,
): string {
  // The client's form decides this client's calls (no other channel is tried after it).
  const next = channel === "elicitation"
    ? "the MCP client's approval form gave no decision thoth could read: update the client " +
      'or report it to its makers ("thoth doctor" checks only the dialogs of this machine)'
    : 'run "thoth doctor" to check the approval channels of this machine';
  // An unlisted name the detectors flag is not shown (the line lands in the client's log).
  return `the ${channel} approval channel failed for the call to tool ${
    notedToolName(request.call)
  } on server ${shownName(request.call.server)} (decision ${
    displayText(request.verdict.decisionId, 64)
  }): ${cause}, so the call did not run; ${next}`;
}

/**
 * Why the relay stopped waiting, when it said so with a reason of its own
 * (`WithdrawnCall`: the client closed its input); else undefined.
 */
function abortReason(signal: AbortSignal): string | undefined {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === "WithdrawnCall" ? reason.message : undefined;
}
