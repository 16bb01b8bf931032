/**
 * Everything `thoth run` resolves outside the sandbox before the proxy core
 * starts: the validated environment, the profile, the policy (written on first
 * run), the session intent. Any failure is an `AppError`, which `thoth run`
 * answers on the wire instead of relaying ungoverned (fail closed). The core
 * is handed no network host: nothing in it connects anywhere yet.
 *
 * @example
 * ```ts
 * const prepared = await prepareSession(io, { server: "gdrive", mode: "block" });
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import type { EnforcerConfig } from "../enforcer/build_session_enforcer.ts";
import { newDecisionId } from "../enforcer/decision_id.ts";
import { readThothEnv } from "../identity/quick_thoth_env.ts";
import { requireRunIdentity } from "../identity/require_run_identity.ts";
import { bootstrapProfile } from "../identity/bootstrap_profile.ts";
import { namedSecretWarnings } from "../identity/named_secret_warnings.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";
import { unlistedModule } from "./unlisted_module.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import { createExclusive } from "../platform/atomic_write.ts";
import { readPolicy } from "../policy/read_policy.ts";
import { MAX_POLICY_FILE_BYTES, policyFileText } from "../policy/policy_shape.ts";
import { policyTooLargeRemedy } from "../policy/policy_too_large.ts";
import { missingPolicyProblem } from "../policy/missing_policy.ts";
import { FileOverLimitError } from "../platform/read_regular_file.ts";
import {
  type GoverningFile,
  governingFileTrust,
  readTrustedFile,
  untrustedGoverningFile,
} from "../config/governing_file_trust.ts";
import { checkIntent } from "../policy/check_intent.ts";
import { keyAsIdError, showName } from "../identity/shown_env_value.ts";
import { findExecutable } from "../platform/find_executable.ts";
import { pathVariable } from "../platform/path_variable.ts";
import { governingFilePaths } from "../config/governing_file_paths.ts";
import { type DialogTool, findDialogTool } from "../approval/find_dialog_tool.ts";
import { policyHash } from "../audit/policy_hash.ts";
import { joinPath } from "../platform/join_path.ts";
import type { CliIo } from "./cli_io.ts";
import { fleetNotices } from "./fleet_notices.ts";
import { DEFAULT_APPROVAL_TIMEOUT_MS } from "../approval/approval_timeout.ts";
import { approverName } from "../approval/approver_name.ts";
import { mappedIntent } from "./mapped_intent.ts";
import {
  realFolder,
  serverFolders,
  sessionClientConfigs,
  sessionHomeFolder,
  variableFolders,
} from "./session_folders.ts";

export {
  ENDPOINT_READ_MS,
  type OsAccount,
  osAccount,
  sessionEndpoint,
  sessionIdentity,
} from "./session_identity.ts";
export {
  homeFolder,
  realFolder,
  sessionClientConfigs,
  sessionHomeFolder,
  variableFolders,
  withHome,
} from "./session_folders.ts";

/** The flags of `thoth run` that shape the session. */
export interface SessionFlags {
  server: string;
  mode: EnforcementMode;
  tenantId?: string | undefined;
  intent?: string | undefined;
  policy?: string | undefined;
  auditSync?: "default" | "always" | undefined;
  /** Seconds a STEP_UP waits for a person. */
  approvalTimeoutSec?: number | undefined;
  /** The server's arguments: folders named there are where it may resolve relative paths. */
  serverArgs?: readonly string[] | undefined;
}

/**
 * Refuses an agent id or a `--tenant-id` that thoth's key detectors flag
 * (`id_flagged_as_key.ts`, the test `THOTH_FLEET_ID` and `THOTH_TENANT_ID`
 * pass), before anything is shown, resolved or recorded: the session_start
 * record would keep it for good. The flag reader refused the common shapes
 * already (`check_run_ids.ts`); this loads the detectors for the rest. Throws
 * `identity.key_as_id`, the value shown by fingerprint only.
 */
async function refuseKeyShapedIds(flags: SessionFlags): Promise<void> {
  const { flaggedAsKey } = await import("../identity/id_flagged_as_key.ts");
  if (flaggedAsKey(flags.server)) {
    throw keyAsIdRefusal(
      "the agent id (given with --agent-id, or derived from the server command)",
      flags.server,
      'name the server with a plain --agent-id before "--", such as --agent-id gdrive',
    );
  }
  if (flags.tenantId !== undefined && flaggedAsKey(flags.tenantId)) {
    throw keyAsIdRefusal(
      "--tenant-id",
      flags.tenantId,
      'give --tenant-id your tenant\'s id, a DNS label such as "your-org"',
    );
  }
}

/** {@linkcode keyAsIdError} as an identity problem: the session cannot be governed. */
function keyAsIdRefusal(source: string, value: string, fix: string): AppError {
  const usage = keyAsIdError(source, value, fix);
  return new AppError("identity.key_as_id", usage.message, { hints: usage.hints });
}

/** What the unsandboxed side hands the proxy core. */
export interface PreparedSession {
  enforcer: EnforcerConfig;
  /** The approval dialog tool, shown from the unsandboxed side, with its environment. */
  dialog?: { tool: DialogTool; path: string; env: Record<string, string> };
}

/** Resolves the session; throws `AppError` when thoth cannot govern. */
export async function prepareSession(io: CliIo, flags: SessionFlags): Promise<PreparedSession> {
  await refuseKeyShapedIds(flags);
  const { env, warnings } = await readThothEnv(io.env);
  for (const warning of warnings) io.err(`thoth: warning: ${warning}\n`);
  // A named key or token file others may read is said once, in doctor's words; not refused.
  for (const line of await namedSecretWarnings(env, Deno.build.os, effectiveUid())) {
    io.err(`thoth: ${line}\n`);
  }
  const tenantId = flags.tenantId ?? env.tenantId;
  requireRunIdentity({ ...env, tenantId });
  const { notices } = await bootstrapProfile(io.thothHome, Deno.build.os);
  for (const notice of notices) io.err(`thoth: ${notice}\n`);
  // The profile's real path is protected too; the sandboxed core cannot resolve it itself.
  const thothHomeReal = await realFolder(io.thothHome);

  // The core connects nowhere (its sandbox grants no network): until the remote
  // enforcer is used, the tenant's hosts (`deriveTenantUrls`) are not granted either.
  // Nor does it register with the fleet or check in; fleet settings without a tenant do nothing.
  for (const notice of fleetNotices(tenantId, io.env)) io.err(`thoth: ${notice}\n`);

  // The policy and intent map are read and checked here (the core may not read outside
  // THOTH_HOME, and --policy may point anywhere); the core gets plain data.
  const { text: policyText, bytes: policyBytes, file: policyFile } = await loadPolicyText(
    io,
    flags.policy,
  );
  // The policy and intent map beyond the profile's protection by path (--policy elsewhere, a
  // link's target) are protected too; resolved here (the core may read neither).
  const governingFiles = await governingFilePaths({
    thothHome: io.thothHome,
    thothHomeReal,
    policyFile,
    cwd: io.cwd,
  });
  const policy = await readPolicy(policyText, policyFile);
  const entry = flags.intent !== undefined
    ? undefined
    : await mappedIntent(io.thothHome, flags.server, (line) => io.err(`thoth: warning: ${line}\n`));
  const intent = flags.intent ?? entry?.intent;
  const userId = env.userId ?? io.env["USER"] ?? io.env["USERNAME"] ?? "local";
  const home = await sessionHomeFolder(io.env);
  // A home folder behind a symbolic link: the configs are protected at its real path too.
  const homeReal = await realFolder(home);
  const bases = await serverFolders(io.cwd, flags.serverArgs ?? [], home);
  // An unknown intent is refused here, with the policy's own message, before anything starts.
  checkIntent(
    Object.keys(policy.intents ?? {}),
    intent,
    showName,
    entry === undefined ? "--intent" : `the intent map entry for ${showName(entry.key)}`,
  );

  // The dialog tool is found here, outside the sandbox; this side shows the dialogs.
  const dialog = await findDialogTool(
    io.env,
    Deno.build.os,
    (name) => findExecutable(name, pathVariable(io.env, Deno.build.os), Deno.build.os),
  );
  const dialogTools: Record<string, string> = dialog.tool === null ? {} : {
    [dialog.tool]: dialog.path,
    ...(dialog.tool === "powershell" ? { pwsh: dialog.path } : {}),
  };
  const approvalEnv: Record<string, string> = {};
  for (const name of ["USER", "USERNAME", "DISPLAY", "WAYLAND_DISPLAY"]) {
    const value = io.env[name];
    if (value !== undefined) approvalEnv[name] = value;
  }
  // Windows spells it `Path`; the approval side looks it up as `PATH`.
  const path = pathVariable(io.env, Deno.build.os);
  if (path !== "" || io.env["PATH"] !== undefined) approvalEnv["PATH"] = path;
  // What a desktop dialog needs to reach the user's session, and no more.
  const dialogEnv: Record<string, string> = { ...approvalEnv };
  for (const name of DIALOG_ENV) {
    const value = io.env[name];
    if (value !== undefined) dialogEnv[name] = value;
  }

  return {
    enforcer: {
      kind: "local",
      policy,
      // Over the file's bytes, as `thoth policy check --json` hashes them, never a re-encoding.
      policyHash: policyHash(policyBytes),
      mode: flags.mode,
      intent,
      userId,
      thothHome: io.thothHome,
      ...(thothHomeReal === undefined || thothHomeReal === io.thothHome ? {} : { thothHomeReal }),
      ...(governingFiles.length === 0 ? {} : { governingFiles }),
      clientConfigs: sessionClientConfigs(io.env, home, homeReal),
      ...variableFolders(io.env),
      auditSync: flags.auditSync ?? "default",
      session: `s-${newDecisionId().slice(2)}`,
      approvalTimeoutMs: flags.approvalTimeoutSec === undefined
        ? DEFAULT_APPROVAL_TIMEOUT_MS
        : flags.approvalTimeoutSec * 1000,
      approver: approverName(io.env),
      approvalEnv,
      dialogTools,
      ...(home === undefined ? {} : { home }),
      // The queue's note names this thoth, not whichever is first on PATH.
      selfCommand: io.selfCommand,
      bases,
    },
    ...(dialog.tool === null
      ? {}
      : { dialog: { tool: dialog.tool, path: dialog.path, env: dialogEnv } }),
  };
}

/**
 * Variables a dialog tool needs on a desktop: the X authority file, the
 * runtime and session bus sockets (zenity, kdialog), the profile folders and
 * system root PowerShell expects. Without them zenity cannot open an X11
 * display and exits as if Deny had been pressed.
 */
const DIALOG_ENV = [
  "HOME",
  "XAUTHORITY",
  "XDG_RUNTIME_DIR",
  "DBUS_SESSION_BUS_ADDRESS",
  "LANG",
  "LC_ALL",
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA",
  "SystemRoot",
  "TEMP",
  "TMP",
];

/** How often a lost race for the default policy is read again (see {@linkcode loadPolicyText}). */
const POLICY_CREATE_TRIES = 3;

/**
 * The policy text, and the bytes it was read from (its `policyHash` is over
 * those): `--policy FILE`, else `THOTH_HOME/policy.jsonc`, written on first
 * run. Many sessions start at once on a fresh profile (a client
 * starts all its servers together): the default is created exclusively
 * ({@linkcode createExclusive}), never over a file that is there, so a
 * policy an admin or MDM placed meanwhile is kept and read, and only the
 * session that created the file says so. A symbolic link there that leads
 * to no file is refused (`missingPolicyProblem`), never written through.
 * A policy another user can change (`governing_file_trust.ts`: in a profile
 * another user owns or may write to, owned by another user, reached through
 * another user's link) is refused as `policy.untrusted`, and so is a
 * `--policy FILE` by the rule for `THOTH_API_KEY_FILE`: whoever can change
 * the policy decides every call. `beforeCreate` runs between the failed read and the creation (a test
 * places a rival policy there).
 */
export async function loadPolicyText(
  io: Pick<CliIo, "thothHome" | "err">,
  explicit: string | undefined,
  beforeCreate?: (file: string) => void | Promise<void>,
): Promise<{ text: string; bytes: Uint8Array; file: string }> {
  const file = explicit ?? joinPath(io.thothHome, "policy.jsonc");
  const governing: GoverningFile = {
    kind: "policy",
    path: file,
    thothHome: io.thothHome,
    named: explicit !== undefined,
  };
  const trust = await governingFileTrust(governing);
  for (let attempt = 1;; attempt++) {
    // A policy another user can change is refused, there or not (they could put one there).
    const refusal = trust === null ? null : await untrustedGoverningFile(governing, trust);
    if (refusal !== null) throw refusal;
    let bytes: Uint8Array;
    try {
      // A FIFO or a device would block the read, and with it the client's
      // initialize, for ever: only a regular file (or a link to one) is read,
      // and only up to the most bytes a policy can hold (a huge or sparse file
      // is refused, never read whole); and only one the profile's owner or root owns.
      bytes = await readTrustedFile(governing, trust, MAX_POLICY_FILE_BYTES);
    } catch (error) {
      if (isAppError(error, "policy.untrusted")) throw error;
      if (
        explicit === undefined && error instanceof Deno.errors.NotFound &&
        attempt <= POLICY_CREATE_TRIES
      ) {
        // A link that leads nowhere: refused, never written through (doctor and health agree).
        const broken = missingPolicyProblem(file);
        if (broken !== null) throw broken;
        // The same bytes and mode as "thoth policy default --output" writes. Read only here:
        // the default policy's text (and its globs) is no part of a session that has one.
        const { DEFAULT_POLICY_JSONC, defaultPolicyBytes, POLICY_FILE_MODE } = await import(
          unlistedModule("../policy/default_policy.ts", import.meta.url)
        ) as typeof import("../policy/default_policy.ts");
        const created = await createExclusive(file, defaultPolicyBytes(), {
          mode: POLICY_FILE_MODE,
          ...(beforeCreate === undefined ? {} : { beforeLink: beforeCreate }),
        });
        if (!created) continue; // another session, or an admin, placed one first: read it
        io.err(
          `thoth: wrote the default policy to "${file}"; edit it, then run "thoth policy check"\n`,
        );
        return { text: DEFAULT_POLICY_JSONC, bytes: defaultPolicyBytes(), file };
      }
      throw new AppError(
        "policy.unreadable",
        `cannot read policy "${file}": ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
          hints: error instanceof FileOverLimitError
            ? [policyTooLargeRemedy(file, { profile: explicit === undefined })]
            : explicit === undefined
            ? [`remove "${file}" to get the default policy back, or fix its permissions`]
            : ["check the path given to --policy"],
        },
      );
    }
    // The text as the file holds it, a byte-order mark included: the policy's hash is over it.
    // Strictly UTF-8: a byte in another encoding is refused (policy.invalid), never read as U+FFFD.
    return { text: policyFileText(bytes, file, true), bytes, file };
  }
}
