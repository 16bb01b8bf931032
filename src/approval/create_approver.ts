/**
 * `createApprover()`: the step-up arbiter one `thoth run` session plugs into
 * its relay. For each STEP_UP it reuses a session grant for the same digest,
 * or asks the first channel that can work here (elicitation when the client
 * declared it, then a native dialog when a desktop session exists, then the
 * local queue, then a remote channel when configured), holds the call up to
 * the timeout while sending progress, and turns the answer into a
 * single-use grant bound to the SHA-256 of (server, tool, canonical
 * arguments). A channel that reached no one (a dialog with no display to
 * open) hands over to the next one before the same deadline. Decline,
 * cancel, error, timeout, client cancellation and no channel reaching anyone
 * all deny, and the `why` tells the model which.
 *
 * @example
 * ```ts
 * const approver = createApprover({ thothHome: io.thothHome, env: io.env, timeoutMs: 45_000 });
 * await runProxy({ command, args, server, enforcer, approver });
 * approver.endSession();
 * ```
 */
import type { ApprovalRetryMark } from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_message.ts";
import type { ApprovalOutcome, ApprovalRequest, Approver } from "../proxy/relay_session.ts";
import type { AnswerTaken, ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import { approvalProgress } from "./approval_progress.ts";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "./approval_timeout.ts";
import { ApprovalQueue } from "./approval_queue.ts";
import { approvalQuestion } from "./approval_question.ts";
import { argumentDigest } from "./argument_digest.ts";
import { osUser } from "./approver_name.ts";
import { askChannels, type ChannelsAsked, firstAvailable } from "./ask_channels.ts";
import { dialogChannel } from "./dialog_channel.ts";
import type { DialogRunner } from "./dialog_runner.ts";
import { displayText } from "./display_text.ts";
import { profileCommandFor } from "./profile_command.ts";
import { elicitationChannel } from "./elicitation_channel.ts";
import { type Grant, GrantStore } from "./grant_store.ts";
import { type HostIdentity, readHostIdentity } from "./host_identity.ts";
import { inexactNumber } from "./inexact_number.ts";
import { queueChannel, QueueFailureNotes } from "./queue_channel.ts";
import { shownName } from "./shown_name.ts";
import { RequestStateSealer } from "./request_state.ts";
import { ServerFollowUps } from "./server_follow_ups.ts";
import { RetryReservations } from "./retry_reservations.ts";
import { type StatelessStep, statelessStep } from "./stateless_step.ts";

export { DEFAULT_APPROVAL_TIMEOUT_MS };
/** How often a waiting call reports progress when the client sent a token. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;
const noChannel = (): ApprovalOutcome => ({
  approved: false,
  kind: "error",
  why: "no approval channel is available here",
  latencyMs: 0,
});

/** Options of {@linkcode createApprover}. */
export interface ApproverOptions {
  /** The profile directory; the queue lives in `<thothHome>/approvals`. */
  thothHome: string;
  /** The environment: PATH, DISPLAY/WAYLAND_DISPLAY (dialog); USER/USERNAME without `user`. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The OS user who answers at this machine (dialog, elicitation), resolved
   * where that is allowed by uid and the password file (see
   * `approverName()`); without it, `USER` or `USERNAME` from `env`.
   */
  user?: string;
  /** A `Deno.build.os` value; default this machine's. */
  os?: string;
  /** How long a call waits for a person (`--approval-timeout`); default 45 s. */
  timeoutMs?: number;
  /** Progress notification period while waiting; default 5 s. */
  progressIntervalMs?: number;
  /** Whether "allow for this session" is offered; default true. */
  allowSession?: boolean;
  /** Why "allow for this session" is not offered, told to the person with each question. */
  sessionWithheld?: string;
  /** Argument names whose values may be shown to the approver (default: none). */
  safeFields?: readonly string[] | ((call: ToolCall) => readonly string[]);
  /** The client's name, for the audit; default the one it gave in `initialize` (`clientInfo.name`). */
  clientName?: () => string | undefined;
  /**
   * Hears an answer that came after its elicitation form was withdrawn (a
   * stale one, never used), as an outcome to record against the call that asked.
   */
  lateAnswer?: (request: ApprovalRequest, outcome: ApprovalOutcome) => void;
  /** Whether to try a native dialog; default true. */
  dialog?: boolean;
  /** The remote enforcer's approval API (later issue); tried last when set. */
  remote?: ApprovalChannel;
  /** Replaces the default channel list entirely (tests, embedding). */
  channels?: readonly ApprovalChannel[];
  /** Queue poll period in milliseconds; default 250. */
  queuePollMs?: number;
  /**
   * This thoth's PID namespace and boot, for the queue's requests (default:
   * read from `/proc` where Deno allows it; see `host_identity.ts`).
   */
  host?: HostIdentity;
  /** Executable lookup for the dialog tool; default searches `env.PATH`. */
  lookupExecutable?: (name: string) => Promise<string | null>;
  /** Shows the dialog elsewhere (the sandboxed core asks its unsandboxed thread). */
  dialogRunner?: DialogRunner;
  /** A line for stderr (where to approve a queued request). */
  note?: (message: string) => void;
  /**
   * How the person at this machine runs `thoth approvals` for this profile,
   * as the note for a queued request says it: `thoth approvals` (the
   * default), or with `THOTH_HOME=…` before it when the profile is not the
   * default one (see {@linkcode approvalsCommandFor}).
   */
  approvalsCommand?: string;
  /** How long a stateless client has to retry with the answer; default max(timeout, 5 min). */
  stateTtlMs?: number;
  /** Wall clock in epoch milliseconds. */
  now?: () => number;
}

/** An {@linkcode Approver} that holds this session's grants. */
export type SessionApprover = Approver & {
  /** Ends the session: every "allow for this session" grant is dropped. */
  endSession(): void;
  /** The channels in the order they are tried. */
  readonly channels: readonly ApprovalChannel[];
  /**
   * For a STEP_UP that arrived in the stateless (2026-07-28) era: what the
   * relay should do instead of holding the call (see `StatelessStep`).
   * `params` are the held call's raw `tools/call` params.
   */
  stateless(request: ApprovalRequest, params: unknown): Promise<StatelessStep>;
  /**
   * How the server answered a governed `tools/call` (wire it to
   * `RelayEvents.outcome`). When a call a person allowed once comes back
   * `input_required` with the server's own `requestState`, the client's
   * retry carrying that state is the same call: it is let through once,
   * unchanged, instead of being asked about again.
   */
  serverAnswered(requestId: JsonRpcId, tool: string, result: unknown): void;
  /** A call under `requestId` was decided (a reused id voids what an earlier call left). */
  callDecided(requestId: JsonRpcId, decisionId: string): void;
  /** The call under `requestId` ended without reaching the server (cancelled or refused). */
  callEnded(requestId: JsonRpcId): void;
  /**
   * Whether a stateless call is the retry of one this approver asked about
   * (it carries thoth's sealed state, valid for these arguments and not yet
   * used) or the server's follow-up to one a person allowed, before the
   * enforcer decides (and counts) it. The state is reserved for the call it
   * marks at once (thoth's spent, the server's taken), so a second retry
   * carrying it is not marked: it is a new call, counted as one. The marked
   * call is then decided from its reservation alone (see `statelessStep`).
   */
  recogniseRetry(
    call: ToolCall,
    params: unknown,
  ): ApprovalRetryMark | undefined | Promise<ApprovalRetryMark | undefined>;
};

/**
 * What an approved outcome carries when its answer made a session grant:
 * `revokeGrant` withdraws exactly that grant, for a wrapper that refuses the
 * call after all (its approval record could not be written), so that no
 * later call passes on a grant the client was told did not count; and
 * `restoreGrant` gives it back, for a wrapper that withdrew it only until
 * the record was on the disk (`--audit-sync always`).
 *
 * @example
 * ```ts
 * const outcome = await approver(request);
 * if (refused) (outcome as ApprovalOutcome & GrantFacts).revokeGrant?.();
 * ```
 */
export interface GrantFacts {
  revokeGrant?: () => void;
  restoreGrant?: () => void;
}

/**
 * What an outcome carries when its answer is a person's answer on file (the
 * queue's): `answerTaken` marks it taken, for pruning. The wrapper that
 * records the outcome calls it once the approval record is written (on the
 * disk, with `--audit-sync always`), never before: an answer marked taken
 * may be pruned, so its record must exist first (see `prune_queue.ts`).
 *
 * @example
 * ```ts
 * if (written) await (outcome as ApprovalOutcome & TakenFacts).answerTaken?.();
 * ```
 */
export interface TakenFacts {
  answerTaken?: AnswerTaken;
}

/** `outcome` with a way to withdraw the session grant `id` its answer made (see {@linkcode GrantFacts}). */
function withRevoke<T extends ApprovalOutcome>(
  outcome: T,
  grants: GrantStore,
  grant: Pick<Grant, "id" | "scope"> | undefined,
): T {
  if (grant === undefined || grant.scope !== "session") return outcome;
  const id = grant.id;
  return {
    ...outcome,
    revokeGrant: () => grants.revoke(id),
    restoreGrant: () => grants.restore(id),
  };
}

/**
 * The `thoth approvals` command a person runs for the profile `thothHome`:
 * plain when it is the default profile (`<home>/.thoth`), else with the
 * profile named first (`THOTH_HOME='/srv/thoth' thoth approvals`), since
 * another terminal would look in the default one (see `profile_command.ts`).
 *
 * @example
 * ```ts
 * approvalsCommandFor("/home/ana/.thoth", "/home/ana"); // "thoth approvals"
 * approvalsCommandFor("/srv/t", "/home/ana"); // "THOTH_HOME='/srv/t' thoth approvals"
 * ```
 */
export function approvalsCommandFor(
  thothHome: string,
  home: string | undefined,
  os: string = Deno.build.os,
): string {
  return profileCommandFor(thothHome, home, "approvals", os);
}

/** The channel an answer to a withdrawn elicitation form is recorded under. */
export const STALE_CHANNEL = "elicitation-stale";

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`.replace(".0 s", " s");
}

/**
 * Why a call whose queued request no one answered in `within` was not
 * approved, as the model is told it: no request id and no command, since a
 * model with a shell could answer its own request with them. The person
 * hears both on stderr (see {@linkcode queueNotes}).
 */
function queueTimeoutWhy(within: string): string {
  return `no one answered the approval request within ${within} (it waited for an answer ` +
    "from a terminal), so it timed out";
}

/**
 * The queue channel, built by `make` for each question with the `onQueued`
 * that names its call: a stderr line says which call waits (its tool and
 * server, never its arguments) and how to answer it, and one more when that
 * request times out or is withdrawn before anyone answered.
 */
function queueNotes(
  make: (onQueued: (id: string, deadline: number) => void) => ApprovalChannel,
  approvals: string,
  now: () => number,
  note: ((message: string) => void) | undefined,
): ApprovalChannel {
  const quiet = () => {};
  return {
    name: "queue",
    available: (request) => make(quiet).available(request),
    ask: async (ask) => {
      const call = `tool ${shownName(ask.question.tool)} on server ${
        shownName(ask.question.server)
      }`;
      let queued: string | undefined;
      const channel = make((id, deadline) => {
        queued = id;
        note?.(
          `a call to ${call} waits for approval: run "${approvals} approve ${id}" or ` +
            // The time left: a channel before it may have used some (see ask_channels.ts).
            `"${approvals} deny ${id}" within ${seconds(Math.max(0, deadline - now()))}`,
        );
      });
      const answer = await channel.ask(ask);
      if (queued !== undefined && answer.kind === "timeout") {
        note?.(
          ask.request.signal.aborted
            ? `approval request ${queued} (${call}) was withdrawn before anyone answered ` +
              "(the client cancelled the call or the session ended); the call did not run"
            : `approval request ${queued} (${call}) timed out: no one answered, so the call ` +
              `did not run; to answer it when it is asked again, run "${approvals} watch" in a ` +
              "terminal",
        );
      }
      return answer;
    },
  };
}

/** Builds the approver for one session. */
export function createApprover(options: ApproverOptions): SessionApprover {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  const progressMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const allowSession = options.allowSession ?? true;
  const notes = allowSession || options.sessionWithheld === undefined
    ? undefined
    : [`"Allow for this session" is not offered: ${options.sessionWithheld}.`];
  const user = options.user === undefined ? osUser(options.env) : displayText(options.user, 64);
  const approvals = options.approvalsCommand ?? "thoth approvals";
  const grants = new GrantStore();
  const stateTtlMs = options.stateTtlMs ?? Math.max(timeoutMs, 300_000);
  const followUps = new ServerFollowUps();
  /** When each question was put, for the latency of a late answer. */
  const askedAt = new WeakMap<ApprovalRequest, number>();
  const lateAnswer = (request: ApprovalRequest, answer: ChannelAnswer, at: number) => {
    const said = answer.kind === "approve"
      ? answer.scope === "session" ? "allow for this session" : "allow once"
      : answer.kind === "deny"
      ? "deny"
      : answer.kind === "cancel"
      ? "dismissed"
      : "unreadable";
    const ended = request.signal.aborted ? "was cancelled or its session ended" : "timed out";
    const decision = request.verdict.decisionId;
    options.note?.(
      `a late answer ("${said}") to the approval form of decision ${
        displayText(decision, 64)
      } came after the call ${ended}; it was not used`,
    );
    const asked = askedAt.get(request);
    options.lateAnswer?.(request, {
      approved: false,
      kind: request.signal.aborted ? "cancelled" : "timeout",
      channel: STALE_CHANNEL,
      ...("approver" in answer ? { approver: answer.approver } : {}),
      why: `a late answer ("${said}") came after the call ${ended}; it was not used`,
      ...(asked === undefined ? {} : { latencyMs: Math.max(0, at - asked) }),
    });
  };
  // Made once, for the first call that reaches the queue.
  let queue: ApprovalQueue | undefined;
  let host: HostIdentity | undefined;
  // What this session said about a queue that cannot take requests (see QueueFailureNotes).
  const queueFailures = new QueueFailureNotes();
  const channels: readonly ApprovalChannel[] = options.channels ?? [
    elicitationChannel({ approver: (request) => clientApprover(request), late: lateAnswer, now }),
    ...(options.dialog === false ? [] : [
      dialogChannel({
        env: options.env,
        os: options.os ?? Deno.build.os,
        user,
        ...(options.lookupExecutable ? { lookup: options.lookupExecutable } : {}),
        ...(options.dialogRunner ? { runner: options.dialogRunner } : {}),
      }),
    ]),
    queueNotes(
      (onQueued) =>
        queueChannel({
          queue: queue ??= ApprovalQueue.forHome(options.thothHome, now),
          ...(options.queuePollMs === undefined ? {} : { pollMs: options.queuePollMs }),
          host: options.host ?? (host ??= readHostIdentity()),
          // Only a name resolved by uid: USER is anyone's to set.
          ...(options.user === undefined ? {} : { user: displayText(options.user, 64) }),
          onQueued: (id, deadline) => {
            for (const line of queueFailures.queued()) options.note?.(line);
            onQueued(id, deadline);
          },
          // The person at the machine hears it too, not only the model: in full the
          // first time, then briefly while the cause stays the same.
          onFailure: (error) => {
            for (const line of queueFailures.failed(error)) options.note?.(line);
          },
          ...(options.note === undefined ? {} : {
            onUnmarked: (lines: string[]) => {
              for (const line of lines) options.note?.(line);
            },
          }),
        }),
      approvals,
      now,
      options.note,
    ),
    ...(options.remote ? [options.remote] : []),
  ];
  const safeFieldsFor = (call: ToolCall): readonly string[] =>
    typeof options.safeFields === "function" ? options.safeFields(call) : options.safeFields ?? [];

  // The outcome carries the way to mark the answer taken (see TakenFacts), whatever it says.
  const approve = async (request: ApprovalRequest): Promise<ApprovalOutcome & TakenFacts> => {
    const heard: { answer: ChannelAnswer | undefined } = { answer: undefined };
    const outcome = await decide(request, heard);
    const taken = heard.answer?.taken;
    return taken === undefined ? outcome : { ...outcome, answerTaken: taken };
  };
  const decide = async (
    request: ApprovalRequest,
    heard: { answer: ChannelAnswer | undefined },
  ): Promise<ApprovalOutcome> => {
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
    if (standing !== undefined) {
      return {
        approved: true,
        kind: "approved",
        scope: "grant",
        why: `${standing.approver} allowed this tool with these arguments for the session`,
        channel: "grant",
        approver: standing.approver,
        latencyMs: 0,
      };
    }
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
    const base = { channel: channel.name, latencyMs };
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
        ? `allowed it ${answer.scope === "session" ? "for this session" : "once"}`
        : answer.kind === "deny"
        ? "denied it"
        : "dismissed the approval prompt";
      return {
        ...base,
        approved: false,
        kind: "cancelled",
        approver: answer.approver,
        why: `a person ${said}, but the answer came after the call was withdrawn ` +
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
                `here${
                  options.sessionWithheld === undefined ? "" : `: ${options.sessionWithheld}`
                })`
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
        return {
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
            : `no one answered within ${seconds(timeoutMs)}, so the request timed out`,
        };
      case "error":
        return {
          ...base,
          approved: false,
          kind: "error",
          why: `the ${channel.name} approval channel failed (${displayText(answer.message, 200)})`,
        };
    }
  };
  let sealer: Promise<RequestStateSealer> | undefined;
  const clientApprover = (request: ApprovalRequest) => {
    const name = options.clientName?.() ?? request.client.name;
    return name ? `${user} via ${displayText(name, 64)}` : `${user} via the MCP client`;
  };
  const approver = approve as SessionApprover;
  Object.defineProperty(approver, "channels", { value: channels });
  approver.endSession = () => {
    grants.clear();
    followUps.clear();
  };
  approver.serverAnswered = (requestId, tool, result) =>
    followUps.serverAnswered(requestId, tool, result, now(), stateTtlMs);
  approver.callDecided = (requestId, decisionId) => followUps.decided(requestId, decisionId);
  approver.callEnded = (requestId) => followUps.ended(requestId);
  const reservations = new RetryReservations(
    followUps,
    () => sealer ??= RequestStateSealer.create(),
    now,
  );
  approver.recogniseRetry = (call, params) => reservations.recognise(call, params);
  approver.stateless = async (request, params) => {
    const step = await statelessStep(
      {
        grants,
        sealer: () => sealer ??= RequestStateSealer.create(),
        approver: clientApprover,
        allowSession,
        ...(notes === undefined ? {} : { notes }),
        safeFields: (r) => safeFieldsFor(r.call),
        stateTtlMs,
        followUps,
        reserved: (request) => reservations.take(request),
        now,
      },
      request,
      params,
    );
    if (step.kind !== "decided" || step.sessionGrant === undefined) return step;
    // The retry that carried "allow for this session" made this session grant.
    const { sessionGrant, ...decided } = step;
    return {
      ...decided,
      outcome: withRevoke(step.outcome, grants, { id: sessionGrant, scope: "session" }),
    };
  };
  return approver;
}

/**
 * Why the relay stopped waiting, when it said so with a reason of its own
 * (`WithdrawnCall`: the client closed its input); else undefined.
 */
function abortReason(signal: AbortSignal): string | undefined {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === "WithdrawnCall" ? reason.message : undefined;
}
