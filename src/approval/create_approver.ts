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
import type { ToolCall } from "../policy/tool_call.ts";
import type { ApprovalOutcome, ApprovalRequest } from "../proxy/relay_session.ts";
import type { ApprovalChannel, ChannelAnswer } from "./approval_channel.ts";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "./approval_timeout.ts";
import { ApprovalQueue } from "./approval_queue.ts";
import { osUser } from "./approver_name.ts";
import type { ApproverOptions, SessionApprover } from "./approver_options.ts";
import { type ApprovalSession, decideApproval } from "./decide_approval.ts";
import { dialogChannel } from "./dialog_channel.ts";
import { displayText } from "./display_text.ts";
import { profileCommandFor } from "./profile_command.ts";
import { elicitationChannel } from "./elicitation_channel.ts";
import { type TakenFacts, withRevoke } from "./grant_facts.ts";
import { GrantStore } from "./grant_store.ts";
import { type HostIdentity, readHostIdentity } from "./host_identity.ts";
import { queueChannel } from "./queue_channel.ts";
import { QueueFailureNotes } from "./queue_failure_notes.ts";
import { queueNotes } from "./queue_notes.ts";
import { shellArgument, shellWord } from "./profile_command.ts";
import { RequestStateSealer } from "./request_state.ts";
import { ServerFollowUps } from "./server_follow_ups.ts";
import { RetryReservations } from "./retry_reservations.ts";
import { statelessStep } from "./stateless_step.ts";

export { DEFAULT_APPROVAL_TIMEOUT_MS };
export type { ApproverOptions, SessionApprover } from "./approver_options.ts";
export type { GrantFacts, TakenFacts } from "./grant_facts.ts";

/** How often a waiting call reports progress when the client sent a token. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 5_000;

/**
 * The `thoth approvals` command a person runs for the profile `thothHome`:
 * plain when it is the default profile (`<home>/.thoth`), else with the
 * profile named first (`THOTH_HOME='/srv/thoth' thoth approvals`), since
 * another terminal would look in the default one (see `profile_command.ts`).
 * A compiled thoth (`self`, how it starts itself, is one word) is named by
 * its path, so that a person with an older thoth first on `PATH` (which
 * cannot read this release's requests) runs this one; thoth from source
 * (`deno run … --config=<checkout>/deno.json …`, as `deno task thoth`
 * starts it) by its checkout's task, which works from any folder (`deno
 * task --config <checkout>/deno.json thoth approvals`): a checkout puts no
 * `thoth` on `PATH`. Unknown: `thoth`.
 *
 * @example
 * ```ts
 * approvalsCommandFor("/home/ana/.thoth", "/home/ana"); // "thoth approvals"
 * approvalsCommandFor("/srv/t", "/home/ana"); // "THOTH_HOME='/srv/t' thoth approvals"
 * approvalsCommandFor("/home/ana/.thoth", "/home/ana", "linux", ["/opt/bin/thoth"]);
 * // "/opt/bin/thoth approvals"
 * approvalsCommandFor("/home/ana/.thoth", "/home/ana", "linux", [
 *   "/usr/bin/deno", "run", "-P=thoth", "--config=/src/thoth/deno.json", "/src/thoth/src/cli/thoth.ts",
 * ]);
 * // "deno task --config /src/thoth/deno.json thoth approvals"
 * ```
 */
export function approvalsCommandFor(
  thothHome: string,
  home: string | undefined,
  os: string = Deno.build.os,
  self?: readonly string[],
): string {
  const config = self?.find((word) => word.startsWith("--config="))?.slice("--config=".length);
  const program = self?.length === 1
    ? shellWord(self[0]!, os)
    : config !== undefined && config !== ""
    ? `deno task --config ${shellArgument(config, os)} thoth`
    : "thoth";
  return profileCommandFor(thothHome, home, "approvals", os, program);
}

/** The channel an answer to a withdrawn elicitation form is recorded under. */
export const STALE_CHANNEL = "elicitation-stale";

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

  const session: ApprovalSession = {
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
  };

  // The outcome carries the way to mark the answer taken (see TakenFacts), whatever it says.
  const approve = async (request: ApprovalRequest): Promise<ApprovalOutcome & TakenFacts> => {
    const heard: { answer: ChannelAnswer | undefined } = { answer: undefined };
    const outcome = await decideApproval(session, request, heard);
    const taken = heard.answer?.taken;
    return taken === undefined ? outcome : { ...outcome, answerTaken: taken };
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
