/**
 * What `createApprover()` takes ({@linkcode ApproverOptions}) and what it
 * returns ({@linkcode SessionApprover}): the step-up arbiter of one
 * `thoth run` session, with the session's grants and follow-ups.
 *
 * @example
 * ```ts
 * const options: ApproverOptions = { thothHome, env: Deno.env.toObject(), timeoutMs: 45_000 };
 * const approver: SessionApprover = createApprover(options);
 * ```
 */
import type { ApprovalRetryMark } from "../enforcer/enforcer.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { JsonRpcId } from "../protocol/jsonrpc_id.ts";
import type { ApprovalOutcome, ApprovalRequest, Approver } from "../proxy/relay_session.ts";
import type { ApprovalChannel } from "./approval_channel.ts";
import type { DialogRunner } from "./dialog_runner.ts";
import type { HostIdentity } from "./host_identity.ts";
import type { StatelessStep } from "./stateless_context.ts";

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
