/**
 * Builds the governance of one session inside the proxy core, from plain data
 * the unsandboxed side prepared: the local policy engine for the session's
 * mode and intent (with thoth's own profile folder out of every call's
 * reach), progressive counters under `THOTH_HOME/state`, and the
 * session's audit evidence. A failure of the progressive counters is told
 * on stderr once per cause (the calls it blocks are recorded with its
 * detail), and the model hears only that they are unavailable. The policy arrives parsed (plain data), so the
 * core never loads the parser and reads nothing of the profile but its
 * session's folders (the sandboxed core gets its audit keys by message: see
 * `device_key_messages.ts`).
 *
 * @example
 * ```ts
 * const session = await buildSessionEnforcer({ kind: "allow-all" }, "everything", note);
 * ```
 */
import type { DialogRunner } from "../approval/dialog_runner.ts";
import type { HostIdentity } from "../approval/host_identity.ts";
import type { Enforcer } from "./enforcer.ts";
import { allowAllEnforcer } from "./allow_all_enforcer.ts";
import { LocalEnforcer } from "./local_enforcer.ts";
import { resourceGuard } from "./resource_guard.ts";
import { ProgressiveStore } from "./progressive_store.ts";
import { ProgressiveTakeBacks } from "./progressive_take_back.ts";
import type { Policy } from "../policy/policy_schema.ts";
import { type CompileOptions, compilePolicy } from "../policy/compile_policy.ts";
import { profileFolders } from "../policy/own_files.ts";
import { composeBases, rootsOf } from "../policy/path_bases.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import type { ToolCall } from "../policy/tool_call.ts";
import type { Verdict } from "../policy/verdict.ts";
import type { LocalVerdict } from "./local_enforcer.ts";
import { openAuditLog } from "../audit/audit_log.ts";
import { LOCK_WAIT_ENDED, type LockWaitEnd } from "../audit/take_audit_lock.ts";
import { isAppError } from "../errors.ts";
import { SessionAudit } from "../proxy/session_audit.ts";
import { AuditLogReopen, reopenable } from "../proxy/audit_log_reopen.ts";
import { withTimeoutRecords } from "../proxy/decision_timeout_records.ts";
import type {
  ApprovalOutcome,
  ApprovalRequest,
  Approver,
  RelayEvents,
} from "../proxy/relay_session.ts";
import { approvalsCommandFor, createApprover } from "../approval/create_approver.ts";
import { profileCommandFor } from "../approval/profile_command.ts";

/** How a session decides and what it records. */
export type EnforcerConfig =
  | { kind: "allow-all" }
  | {
    kind: "local";
    /** The policy, parsed and validated outside (plain data; compiled here). */
    policy: Policy;
    /** SHA-256 (hex) of the policy bytes, recorded with every decision. */
    policyHash: string;
    mode: EnforcementMode;
    /** The session intent: `--intent`, else the intent map's entry for this server. */
    intent: string | undefined;
    /** THOTH_USER_ID, or the OS user; progressive counts are per user. */
    userId: string;
    /**
     * The profile folder. A call whose arguments reach it (or `thothHomeReal`)
     * is blocked in every mode (`thoth.own_files`): a server running as this
     * user must not answer its own approvals or reset the counters.
     */
    thothHome: string;
    /**
     * `thothHome` with its symbolic links resolved, found outside (the core
     * may not read the profile folder itself), when it differs.
     */
    thothHomeReal?: string;
    /**
     * The files that govern thoth outside the profile folder, by path and real
     * path, found outside (the core may read neither): a `--policy` file
     * elsewhere, where a linked `policy.jsonc` or `intent_map.json` leads
     * (`governingFilePaths()`). Reached by no call either (`thoth.own_files`).
     */
    governingFiles?: string[];
    /**
     * The MCP clients' config files (`protectedClientConfigs`), reached by no
     * call either (`thoth.client_config`).
     */
    clientConfigs?: string[];
    /**
     * `APPDATA` and `XDG_CONFIG_HOME` from the environment, found outside (the
     * core has no env access): a command naming a protected file by one of
     * them (`%APPDATA%\Claude\…`) reaches it too.
     */
    appData?: string;
    xdgConfigHome?: string;
    /** `always`: fsync each decision record before the call is forwarded. */
    auditSync: "default" | "always";
    /** A random id naming this session in the audit log. */
    session: string;
    /** How long a STEP_UP waits for a person, in milliseconds. */
    approvalTimeoutMs: number;
    /** What the approval channels may know of the environment (the core has no env access). */
    approvalEnv: Record<string, string>;
    /**
     * The OS user who answers dialogs and forms here, resolved outside by uid
     * and the password file (`approverName()`; the core may read neither);
     * without it, `USER` from `approvalEnv`, which anyone can set.
     */
    approver?: string;
    /** Dialog executables resolved outside the sandbox, by name ("zenity" → path). */
    dialogTools: Record<string, string>;
    /**
     * This process's PID namespace and boot, found outside (the core may not
     * read `/proc`), recorded with each queued approval request.
     */
    host?: HostIdentity;
    /** The user's home folder, where a `~/…` argument points (the core has no env access). */
    home?: string;
    /**
     * How this thoth is started (`CliIo.selfCommand`, found outside): a
     * compiled thoth's path is named in the queue's note, so a person with
     * another thoth first on `PATH` answers with this one.
     */
    selfCommand?: readonly string[];
    /**
     * Folders the server may resolve a relative path against, found outside
     * (its working folder, the folders on its command line); the client's
     * roots are added as the session learns them.
     */
    bases?: string[];
  };

/** What runProxy needs from the governance side, plus the session's audit. */
export interface SessionEnforcer {
  enforcer: Enforcer;
  events?: RelayEvents;
  /** The step-up channels (elicitation, dialog, queue), their answers recorded first. */
  approver?: Approver;
  audit?: SessionAudit;
  /** Ends the session's grants and withdraws its queued questions. */
  endSession?: () => void;
  /**
   * Resolves once progressive mode has taken back the counts of calls that
   * did not happen (see `progressive_take_back.ts`): awaited before the session ends.
   */
  countsSettled?: () => Promise<void>;
}

/**
 * Builds the session's enforcer and audit; throws `policy.*` on a policy it
 * cannot use, and `audit.lock_wait_ended` when `lockWaitEnd` ends the wait
 * for the audit log's lock (see `take_audit_lock.ts`).
 */
export async function buildSessionEnforcer(
  config: EnforcerConfig,
  server: string,
  note: (message: string) => void,
  showDialog?: DialogRunner,
  lockWaitEnd?: LockWaitEnd,
): Promise<SessionEnforcer> {
  if (config.kind === "allow-all") return { enforcer: allowAllEnforcer };
  const os = Deno.build.os;
  // The compiled rules read `bases` at each call: it follows the client's roots.
  const fixed = config.bases ?? [];
  // thoth's own folder is protected whatever the policy says (see own_files.ts).
  const ownFolders = profileFolders(config.thothHome, config.thothHomeReal);
  const paths: CompileOptions = {
    home: config.home,
    os,
    bases: fixed,
    ownFolders,
    governingFiles: config.governingFiles ?? [],
    clientConfigs: config.clientConfigs ?? [],
    variableFolders: { appData: config.appData, xdgConfigHome: config.xdgConfigHome },
  };
  const policy = compilePolicy(config.policy, paths);
  let roots: readonly string[] = [];
  const intent = config.intent;
  const store = config.mode === "progressive" ? new ProgressiveStore(config.thothHome) : undefined;
  const local = new LocalEnforcer({
    policy,
    mode: config.mode,
    intent,
    userId: config.userId,
    counter: store,
  });
  // A call counted as decided that does not happen after all (the client stopped reading
  // thoth's output) is taken back: the relay says so by its decision id.
  // What became of each one is recorded (`recorded`, below, exists before any call is decided).
  const takeBacks = store === undefined
    ? undefined
    : new ProgressiveTakeBacks(store, note, (id, taken) => recorded.countTakenBack?.(id, taken));
  // A broken counters file blocks every violation after it: said once per cause.
  const counterCauses = new Set<string>();
  const warning: Enforcer = {
    name: "local",
    decide: (call: ToolCall, ids) => {
      const verdict = local.decide(call, ids);
      const report = (v: LocalVerdict) => {
        if (v.counted !== undefined) takeBacks?.remember(v.decisionId, v.counted);
        if (v.warn !== undefined) note(`warning: ${v.warn}`);
        const trouble = v.counterWarning;
        if (trouble !== undefined && !counterCauses.has(trouble.cause)) {
          counterCauses.add(trouble.cause);
          note(`warning: ${trouble.text}`);
        }
        return v;
      };
      return verdict instanceof Promise ? verdict.then(report) : report(verdict);
    },
  };
  let log;
  let openError: string | undefined;
  let openHints: readonly string[] | undefined;
  let reopen: AuditLogReopen | undefined;
  try {
    log = await openAuditLog({
      thothHome: config.thothHome,
      ...(lockWaitEnd === undefined ? {} : { lockWaitEnd }),
    });
  } catch (error) {
    // Stopped while waiting: the session ends before it starts (see `proxy_worker.ts`).
    if (isAppError(error, LOCK_WAIT_ENDED)) throw error;
    openError = error instanceof Error ? error.message : String(error);
    // Its own remedy (a held lock: how to find the holder), not the generic one.
    if (isAppError(error) && error.hints.length > 0) openHints = error.hints;
    // A cause that passes (the lock, the file system): tried again while the session runs.
    if (await reopenable(error, config.thothHome)) {
      reopen = new AuditLogReopen(
        (lockPatience, stop) =>
          openAuditLog({ thothHome: config.thothHome, lockPatience, lockWaitEnd: { stop } }),
        lockWaitEnd?.stop,
      );
    }
  }
  const audit = new SessionAudit({
    log,
    openError,
    openHints,
    reopen,
    thothHome: config.thothHome,
    sync: config.auditSync,
    session: config.session,
    server,
    mode: config.mode,
    policyHash: config.policyHash,
    intent: intent ?? null,
    safeFields: policy.safeToLog,
    // Each blocked call's stderr line names the command that shows its records.
    auditCommand: profileCommandFor(config.thothHome, config.home, "audit", Deno.build.os),
    note,
  });
  // Before any decision: a decision's record is spooled only under the key that signs it.
  await audit.loadKey();
  const dialogTools = config.dialogTools;
  // An answer that came after its form was withdrawn is recorded as an approval
  // record of its own (channel `elicitation-stale`), through the audit's recorder.
  const late = new WeakMap<ApprovalRequest, ApprovalOutcome>();
  const recordLate = audit.wrapApprover((request) =>
    Promise.resolve(
      late.get(request) ?? { approved: false, kind: "error", why: "no late answer was kept" },
    )
  );
  const progressive = config.mode === "progressive";
  const approver = createApprover({
    thothHome: config.thothHome,
    env: config.approvalEnv,
    ...(config.approver === undefined ? {} : { user: config.approver }),
    timeoutMs: config.approvalTimeoutMs,
    // Progressive mode counts every repeat of a violation toward its block rung:
    // a yes "for this session" could not last there, so it is not offered.
    allowSession: !progressive,
    ...(progressive
      ? {
        sessionWithheld:
          "in progressive mode every repeat of this call counts toward the block rung, " +
          "so a yes covers this call only",
      }
      : {}),
    lateAnswer: (request, outcome) => {
      late.set(request, outcome);
      void recordLate(request).catch((error) =>
        note(`cannot record a late approval answer: ${(error as Error).message}`)
      );
    },
    safeFields: policy.safeToLog,
    // A profile other than the default is named in the command the queue's note suggests.
    approvalsCommand: approvalsCommandFor(
      config.thothHome,
      config.home,
      Deno.build.os,
      config.selfCommand,
    ),
    lookupExecutable: (name) => Promise.resolve(dialogTools[name] ?? null),
    ...(config.host === undefined ? {} : { host: config.host }),
    ...(showDialog === undefined ? {} : { dialogRunner: showDialog }),
    note,
  });
  // A call thoth blocks when its decision does not come in time is recorded like any block.
  const recorded = withTimeoutRecords(audit.events(), audit, note);
  // Bookkeeping for server follow-ups never stops the relay or its records.
  const followUp = (step: () => void) => {
    try {
      step();
    } catch (error) {
      note(`cannot track a server's follow-up request: ${(error as Error).message}`);
    }
  };
  const recordedApprover = audit.wrapApprover(approver);
  // Recognising a retry records nothing: it passes the audit's wrapper as it is.
  recordedApprover.recogniseRetry = approver.recogniseRetry;
  // The audit record keeps the verdict's reasons; the relay tells the model the shown ones.
  const recordedEnforcer = audit.wrapEnforcer(warning);
  const shown = (v: Verdict): Verdict => {
    const reasons = (v as Partial<LocalVerdict>).shownReasons;
    return reasons === undefined ? v : { ...v, reasons };
  };
  return {
    enforcer: {
      name: recordedEnforcer.name ?? "local",
      mode: config.mode,
      decide: (call: ToolCall, ids) => {
        const verdict = recordedEnforcer.decide(call, ids);
        return verdict instanceof Promise ? verdict.then(shown) : shown(verdict);
      },
      // A resource the client asks for is kept off thoth's own files too (resource_guard.ts).
      guardResource: resourceGuard(policy),
    },
    events: {
      ...recorded,
      outcome: (requestId, tool, isError, durationMs, result, raw) => {
        recorded.outcome?.(requestId, tool, isError, durationMs, result, raw);
        // A call allowed once may come back input_required from the server itself.
        followUp(() => approver.serverAnswered(requestId, tool, result));
      },
      decision: (call, verdict, requestId) => {
        recorded.decision?.(call, verdict, requestId);
        followUp(() => approver.callDecided(requestId, verdict.decisionId));
      },
      cancelled: (requestId, tool, reason) => {
        recorded.cancelled?.(requestId, tool, reason);
        followUp(() => approver.callEnded(requestId));
      },
      answered: (requestId) => {
        recorded.answered?.(requestId);
        followUp(() => approver.callEnded(requestId));
      },
      notCarriedOut: (decisionId) => takeBacks?.takeBack(decisionId),
      rootsListed: (result) => {
        // The working folder and the command line's folders always; then the roots the
        // server now uses, and the previous ones for a call it resolves before it switched.
        // An empty answer leaves the server's folders as they were (server-filesystem).
        const listed = rootsOf(result, os);
        if (listed.length === 0) return;
        const previous = roots;
        roots = listed;
        paths.bases = composeBases(fixed, roots, previous);
      },
    },
    approver: recordedApprover,
    audit,
    endSession: () => approver.endSession(),
    ...(takeBacks === undefined ? {} : { countsSettled: () => takeBacks.settled() }),
  };
}
