/**
 * Builds the `thoth health --json` report from a {@linkcode DoctorContext}.
 * Without `probe` it makes no network call and starts no process except where
 * the OS machine id needs one (macOS `ioreg`, Windows `reg`) and thoth itself,
 * once, to try the proxy core's sandbox for no server (`sandbox`, as doctor's
 * sandbox check does); with `probe` it resolves and contacts the enforcer. Never throws for a broken profile: what
 * cannot be read is reported in the data (the profile as `doctor`'s profile
 * check sees it, an audit log that cannot be checked as `degraded` with the
 * reason). The environment is judged as `thoth run` judges it: its variables,
 * then the identity they make up (a tenant needs a user). Beside an invalid
 * variable, each variable that obeys its rule is still reported (tenant, user,
 * fleet, control-plane and enforcer URLs); an invalid one is null, never its default, and is
 * named in `environment.invalid_variables`. This build neither
 * registers with the fleet nor checks in (`fleet.registration` is
 * `"not_implemented"`), and decides every call with the local policy, tenant
 * or not (`enforcer.in_use` is false): the report says so rather than leave a
 * fleet tool to infer it.
 *
 * @example
 * ```ts
 * const report = await buildHealthReport(context, { probe: false });
 * io.out(JSON.stringify(report, null, 2) + "\n");
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { checkedTime } from "../identity/checked_time.ts";
import { reportedEndpointId } from "../identity/reported_endpoint_id.ts";
import { loadCredentials } from "../identity/load_credentials.ts";
import type { CredentialSource } from "../identity/select_credential.ts";
import { requireRunIdentity } from "../identity/require_run_identity.ts";
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import { type ThothEnv, validateThothEnv } from "../identity/validate_thoth_env.ts";
import { joinPath } from "../platform/join_path.ts";
import { FileOverLimitError } from "../platform/read_regular_file.ts";
import {
  type GoverningFile,
  governingFileTrust,
  readTrustedFile,
  untrustedGoverningFile,
} from "../config/governing_file_trust.ts";
import { NOT_CHECKED_ROOT_PROFILE, profileIsFileSystemRoot } from "./profile_is_root.ts";
import { BUILD_COMMIT, VERSION } from "../version.ts";
import { checkProfile } from "./check_profile.ts";
import { readIntentMapReport } from "./check_intent_map.ts";
import { noCredentialsText } from "./check_credentials.ts";
import {
  exposedProfileSecret,
  isProfileSecret,
  unreadableSecretRefusal,
} from "./profile_secret_refusal.ts";
import { MAX_POLICY_FILE_BYTES } from "./check_policy.ts";
import { policyTooLargeRemedy, policyTooLargeText } from "../policy/policy_too_large.ts";
import { missingPolicyProblem } from "../policy/missing_policy.ts";
import { clientConfigRemedy } from "./client_config_remedy.ts";
import { pasteQuote } from "./paste_quote.ts";
import type { DoctorContext } from "./doctor_context.ts";
import { ENFORCER_IN_USE } from "./enforcer_in_use.ts";
import type { AuditHealth, ClientConfigReport } from "./doctor_plugins.ts";
import type { HealthReport } from "./health_report_schema.ts";
import { HEALTH_SCHEMA_VERSION } from "./health_schema_version.ts";
import { toHex } from "../audit/encoding.ts";
import { profileNotChecked } from "./profile_not_checked.ts";
import { lookUpServerCommands, missingCommandText } from "./server_path.ts";
import {
  AUDIT_LOG_WARN_BYTES,
  type AuditHealthWithAccess,
  checkAudit,
  refusedNotice,
  sizeNotice,
  spoolNotice,
} from "./check_audit.ts";
import { readProgressiveReport } from "./check_progressive_state.ts";
import { sandboxPart } from "./sandbox_health.ts";

/** Options for {@linkcode buildHealthReport}. */
export interface HealthOptions {
  /** Resolve and contact the enforcer. */
  readonly probe: boolean;
}

/** Builds the report. */
export async function buildHealthReport(
  context: DoctorContext,
  options: HealthOptions,
): Promise<HealthReport> {
  const now = context.now();
  // Started first: trying the sandbox starts thoth once more, beside the rest.
  const sandbox = sandboxPart(context);
  const pluginContext = { env: context.env, thothHome: context.thothHome, os: context.os };
  const validated = validateThothEnv(context.env, context.os);
  const env = validated.ok ? validated.env : null;
  const problems = validated.ok
    ? identityProblems(validated.env)
    : validated.problems.map((p) => p.message);
  const invalid = new Set(validated.ok ? [] : validated.problems.map((p) => p.variable));
  // What is reported of the identity: each variable that obeys its rule, even beside one that does not.
  const known = validated.ok ? validated.env : validOnTheirOwn(context, invalid);

  // A profile that is no folder, or a THOTH_HOME that is no absolute path, is said once, in
  // profile; what lives in it is not checked, and each part says why.
  const notChecked = await profileNotChecked(context);
  const policyPath = joinPath(context.thothHome, "policy.jsonc");
  const [machineId, credentials, discovered, policy, intentMap, audit, profile, progressive] =
    await Promise.all([
      context.host.readMachineId(),
      env === null
        ? Promise.resolve(null)
        : notChecked !== null
        ? Promise.resolve(notReadCredentials(notChecked))
        : credentialPart(context, env, now),
      clientsPart(context, pluginContext),
      notChecked !== null
        ? Promise.resolve({
          path: policyPath,
          present: false,
          sha256: null,
          valid: false,
          problem: notChecked,
        })
        : policyPart(context, policyPath),
      intentMapPart(context, notChecked),
      notChecked !== null
        ? Promise.resolve<AuditHealth>({
          status: "unknown",
          lastSequence: null,
          lastCheckpointAt: null,
          verified: null,
          message: notChecked,
          hint: 'fix the profile first (see "profile")',
        })
        : context.plugins.auditHealth(pluginContext).catch(auditCheckFailed),
      profilePart(context),
      progressivePart(context, notChecked),
    ]);
  // As thoth run resolves it: a managed id that is set but invalid is the problem, not skipped.
  const { identity, problem: endpointProblem } = reportedEndpointId({
    env: context.env,
    machineId,
    hostname: context.host.hostname(),
  }, context.os);

  return {
    schema_version: HEALTH_SCHEMA_VERSION,
    generated_at: now.toISOString(),
    thoth: { version: VERSION, target: context.target, commit: BUILD_COMMIT },
    sandbox: await sandbox,
    endpoint: {
      id: identity?.id ?? null,
      source: identity?.source ?? null,
      origin: identity?.origin ?? endpointProblem?.variable ?? null,
      problem: endpointProblem?.message ?? null,
    },
    tenant: {
      id: known?.tenantId ?? null,
      apex_domain: known?.apexDomain ?? null,
      // An invalid THOTH_ENV is no environment at all: never shown as the default.
      environment: known === null || invalid.has("THOTH_ENV") ? null : known.environment,
      fleet_id: known?.fleetId ?? null,
      control_plane_url: known === null || known.tenantId === null || known.apexDomain === null
        ? null
        : deriveTenantUrls(known.tenantId, known.apexDomain).controlPlane,
    },
    user: { id: known?.userId ?? null },
    profile,
    environment: {
      valid: problems.length === 0,
      problems,
      invalid_variables: [...invalid],
      warnings: [...validated.warnings],
    },
    credentials: credentials ?? notReadCredentials("not checked: the environment is invalid"),
    clients: discovered.clients,
    client_places: discovered.places,
    policy,
    intent_map: intentMap,
    audit: auditPart(audit),
    progressive,
    fleet: fleetPart(known, invalid),
    enforcer: await enforcerPart(context, known, options.probe),
  };
}

/**
 * The intent map as doctor's `intent_map` check judges it: what fails there
 * is a `problem` (thoth run refuses servers over it), what warns is a
 * `warning`; an absent map is neither.
 */
async function intentMapPart(
  context: DoctorContext,
  notChecked: string | null,
): Promise<HealthReport["intent_map"]> {
  const path = joinPath(context.thothHome, "intent_map.json");
  if (notChecked !== null) {
    return {
      path,
      present: false,
      servers: null,
      valid: false,
      problem: notChecked,
      warning: null,
      hint: 'fix the profile first (see "profile")',
    };
  }
  const { present, servers, check } = await readIntentMapReport(context);
  const failed = check.status === "fail";
  const warned = check.status === "warn" && present;
  return {
    path,
    present,
    servers,
    valid: !failed,
    problem: failed ? check.message : null,
    warning: warned ? check.message : null,
    hint: failed || warned ? check.hint : null,
  };
}

/** Credentials that were not read, and why. */
function notReadCredentials(problem: string): HealthReport["credentials"] {
  return {
    present: false,
    kind: null,
    source: null,
    fingerprint: null,
    expires_at: null,
    expired: null,
    problem,
  };
}

/**
 * The settings of the variables that obey their rule, when others (`invalid`)
 * do not: the environment validated again without the invalid ones. Each
 * invalid variable then reads as unset here; the report shows it as null,
 * never as its default. Null when even that does not validate.
 */
function validOnTheirOwn(
  context: DoctorContext,
  invalid: ReadonlySet<string>,
): ThothEnv | null {
  const rest = Object.fromEntries(
    Object.entries(context.env).filter(([name]) => !invalid.has(name)),
  );
  const again = validateThothEnv(rest, context.os);
  return again.ok ? again.env : null;
}

/** What `thoth run` would refuse in a valid environment: a tenant without a user. */
function identityProblems(env: ThothEnv): string[] {
  try {
    requireRunIdentity(env);
    return [];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return [error.message];
  }
}

/**
 * The audit log as the plug-in reports it, in doctor's words (spool files
 * that wait, see `spoolNotice`; the log's size, see `sizeNotice`); `status`
 * is the log's alone. The size is a stat of each segment: null when the
 * plug-in could not tell it.
 */
function auditPart(audit: AuditHealth): HealthReport["audit"] {
  const check = checkAudit(audit);
  const quiet = ((audit as AuditHealthWithAccess).lockHeld ?? null) === null &&
    spoolNotice(audit) === null && refusedNotice(audit) === null &&
    (sizeNotice(audit, AUDIT_LOG_WARN_BYTES)?.hint ?? null) === null;
  const waiting = audit.spool;
  const refused = (audit as AuditHealthWithAccess).spoolRefused;
  const size = audit.logSize ?? null;
  return {
    status: audit.status,
    last_sequence: audit.lastSequence,
    last_checkpoint_at: audit.lastCheckpointAt,
    verified: audit.verified,
    message: check.message,
    hint: quiet ? audit.hint ?? null : check.hint,
    spool_waiting: waiting === undefined || waiting === null ? null : {
      files: waiting.files,
      due: waiting.due,
      oldest_age_sec: Math.floor(waiting.oldestMs / 1000),
    },
    spool_refused: refused === undefined || refused === null ? null : {
      files: refused.files,
      oldest: refused.oldest,
      oldest_age_sec: Math.floor(refused.oldestMs / 1000),
    },
    size_bytes: size?.bytes ?? null,
    segments: size?.segments ?? null,
    oldest_segment_day: size?.oldestDay ?? null,
  };
}

/** The progressive counters as doctor's `progressive_state` check judges them. */
async function progressivePart(
  context: DoctorContext,
  notChecked: string | null,
): Promise<HealthReport["progressive"]> {
  const path = joinPath(context.thothHome, "state", "progressive.json");
  const unknown = (problem: string, hint: string): HealthReport["progressive"] => ({
    path,
    status: "unknown",
    entries: null,
    distrust_until: null,
    moved_aside: null,
    problem,
    warning: null,
    hint,
  });
  if (notChecked !== null) return unknown(notChecked, 'fix the profile first (see "profile")');
  let report;
  try {
    report = await readProgressiveReport(context);
  } catch (error) {
    return unknown(
      `the progressive counters could not be checked: ${
        error instanceof Error ? error.message : String(error)
      }`,
      'run "thoth doctor" to see the progressive_state check',
    );
  }
  const { inspection, check, distrustUntil } = report;
  const status = check.status === "fail"
    ? "unreadable"
    : check.status === "warn"
    ? "counts_lost"
    : inspection.kind === "readable"
    ? "ok"
    : "absent";
  return {
    path: inspection.path,
    status,
    entries: inspection.entries,
    distrust_until: distrustUntil === null
      ? null
      : checkedTime(distrustUntil, "ms").date?.toISOString() ?? null,
    moved_aside: inspection.movedAside?.path ?? null,
    problem: check.status === "fail" ? check.message : null,
    warning: check.status === "warn" ? check.message : null,
    hint: check.status === "pass" ? null : check.hint,
  };
}

/** An audit plug-in that failed (a folder it cannot read, say) leaves the log unchecked: degraded. */
function auditCheckFailed(error: unknown): AuditHealth {
  const reason = error instanceof Error
    ? error.message.split("\n")[0] ?? error.name
    : String(error);
  return {
    status: "degraded",
    lastSequence: null,
    lastCheckpointAt: null,
    verified: null,
    message: `the audit log could not be checked: ${reason}`,
    hint: error instanceof Deno.errors.PermissionDenied
      ? 'give your user back read access to THOTH_HOME/audit (chmod -R u+rwX on it), then run "thoth audit verify"'
      : 'run "thoth audit verify" to check the log itself',
  };
}

/** The profile as `thoth doctor`'s profile check sees it. */
async function profilePart(context: DoctorContext): Promise<HealthReport["profile"]> {
  let check;
  try {
    check = await checkProfile(context);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      path: context.thothHome,
      ok: false,
      problem: `the profile could not be checked: ${reason}`,
      hint: 'run "thoth doctor" to see the profile check',
    };
  }
  const ok = check.status !== "fail";
  return {
    path: context.thothHome,
    ok,
    problem: ok ? null : check.message,
    hint: ok ? null : check.hint,
  };
}

/**
 * The credential thoth would present, judged as doctor's credentials check
 * judges it: one it cannot read or trust, and the profile's secret that
 * `thoth run` refuses (`credentials.exposed`), are never reported as present.
 */
async function credentialPart(
  context: DoctorContext,
  env: ThothEnv,
  now: Date,
): Promise<HealthReport["credentials"]> {
  let resolution;
  try {
    resolution = await loadCredentials(env, context.thothHome, now);
  } catch (error) {
    if (!(error instanceof AppError)) return notReadCredentials("cannot read the credentials");
    // A file over the size limit, or one thoth cannot trust (credentials.untrusted), says what
    // to do, as a policy over its limit does; so does the profile's secret doctor judges.
    const refusal = await unreadableSecretRefusal(context, env, error);
    if (refusal !== null) return notReadCredentials(refusalText(refusal));
    return notReadCredentials(
      (error.code === "credentials.too_large" || error.code === "credentials.untrusted") &&
        error.hints[0] !== undefined
        ? `${error.message}: ${error.hints[0]}`
        : error.message,
    );
  }
  const { credential } = resolution;
  // The profile's secret others can read, which thoth run refuses: not usable here either.
  const exposed = credential !== null &&
      isProfileSecret(credential.source, credential.path, env)
    ? await exposedProfileSecret(context, credential.path)
    : null;
  if (exposed !== null) return notReadCredentials(refusalText(exposed));
  const expiresAt = credential?.expiresAt == null
    ? null
    : checkedTime(credential.expiresAt.getTime(), "ms").date?.toISOString() ?? null;
  return {
    present: credential !== null,
    kind: credential?.kind ?? null,
    source: credential === null ? null : reportedSource(credential.source, env),
    fingerprint: credential?.secret.fingerprint ?? null,
    // Loaded expiries are in range already; an out-of-range one is never printed as "+061971-…".
    expires_at: expiresAt,
    expired: credential === null ? null : credential.expired,
    // As doctor's credentials check fails them: a tenant with no credential, an expired one.
    problem: credential === null
      ? env.tenantId === null ? null : noCredentialsText(env.tenantId)
      : credential.expired
      ? expiredCredentialText(credential.kind, reportedSource(credential.source, env), expiresAt)
      : null,
  };
}

/** A refusal as one problem: its message, then its remedies. */
function refusalText(refusal: { message: string; hints: readonly string[] }): string {
  return refusal.hints.length === 0
    ? refusal.message
    : `${refusal.message}: ${refusal.hints.join("; ")}`;
}

/**
 * Why a credential cannot be used: it has expired, at `expiresAt` when known.
 *
 * @example
 * ```ts
 * expiredCredentialText("bearer", "THOTH_AUTH_TOKEN", "2026-03-01T10:00:00.000Z");
 * // "bearer token from THOTH_AUTH_TOKEN expired at 2026-03-01T10:00:00.000Z"
 * ```
 */
export function expiredCredentialText(
  kind: "bearer" | "api_key",
  source: string | null,
  expiresAt: string | null,
): string {
  return `${kind === "bearer" ? "bearer token" : "API key"}${
    source === null ? "" : ` from ${source}`
  } expired${expiresAt === null ? "" : ` at ${expiresAt}`}`;
}

type Discovered = {
  clients: HealthReport["clients"];
  places: HealthReport["client_places"];
};

async function clientsPart(
  context: DoctorContext,
  pluginContext: { env: DoctorContext["env"]; thothHome: string; os: string },
): Promise<Discovered> {
  const none: Discovered = { clients: null, places: null };
  let reports: readonly ClientConfigReport[];
  let places: HealthReport["client_places"] = null;
  const discoverPlaces = context.plugins.discoverClientPlaces;
  try {
    if (discoverPlaces !== undefined && discoverPlaces !== null) {
      const found = await discoverPlaces(pluginContext);
      reports = found.reports;
      places = {
        checked: found.places.map((p) => ({
          client: p.client,
          path: p.path,
          scope: p.scope,
          found: p.found,
        })),
        not_checked: [...found.notChecked],
      };
    } else if (context.plugins.discoverClients !== null) {
      reports = await context.plugins.discoverClients(pluginContext);
    } else {
      return none;
    }
  } catch {
    return none;
  }
  const clients = await Promise.all(reports.map(async (r) => {
    const others = r.otherServers ?? [];
    // A governed entry whose thoth command is not there stays governed, as status and doctor
    // count it: it runs nothing at all, and not_startable says why (wrap-config is the fix).
    const notStartable = await notStartablePart(context, r);
    const governed = (s: ClientConfigReport["servers"][number]) => s.governed;
    return {
      client: r.client,
      config_path: r.configPath,
      scope: places?.checked.find((p) => p.path === r.configPath)?.scope ?? null,
      governed: r.servers.filter(governed).map((s) => s.name),
      ungoverned: r.servers.filter((s) => !governed(s)).map((s) => s.name),
      disabled: [...r.servers, ...others].filter((s) => s.disabled === true).map((s) => s.name),
      remote: others.filter((s) => s.kind === "remote").map((s) => s.name),
      not_applicable: others.map((s) => ({ name: s.name, kind: s.kind, note: s.note })),
      not_understood: r.servers.flatMap((s) =>
        !s.governed && typeof s.notUnderstood === "string"
          ? [{ name: s.name, note: s.notUnderstood }]
          : []
      ),
      refused: r.servers.flatMap((s) =>
        governed(s) && s.refusals !== undefined && s.refusals !== null && s.refusals.length > 0
          ? [{ name: s.name, reasons: [...s.refusals] }]
          : []
      ),
      warnings: r.servers.flatMap((s) =>
        governed(s) && s.warnings !== undefined && s.warnings !== null && s.warnings.length > 0
          ? [{ name: s.name, warnings: [...s.warnings] }]
          : []
      ),
      not_startable: notStartable,
      problem: r.problem ?? null,
      hint: typeof r.problem === "string" ? clientConfigRemedy(r) : null,
    };
  }));
  return { clients, places };
}

/** A server of a config whose client (or thoth) cannot start one of its commands. */
interface NotStartable {
  readonly name: string;
  readonly command: string;
  readonly problem: string;
}

/**
 * The servers of `report` whose command (thoth itself, for a governed one) or
 * upstream command is not found where it is looked up: on the `PATH` the
 * client starts the entry with, as `thoth doctor` looks (`client_configs` for
 * a governed entry's thoth command, `upstream_path` for the rest). A lookup,
 * nothing started; one the working folder decides is left to `doctor`. A
 * governed entry whose thoth command is missing stays governed (it is no
 * server running without thoth): its problem names `wrap-config` as the fix.
 */
async function notStartablePart(
  context: DoctorContext,
  report: ClientConfigReport,
): Promise<NotStartable[]> {
  const out: NotStartable[] = [];
  for (const server of report.servers) {
    const lookups = await lookUpServerCommands(
      report.client,
      context.os,
      context.env,
      server,
      context.host.isExecutable,
    ).catch(() => []);
    for (const { command, upstream, where, found } of lookups) {
      if (found.outcome !== "missing") continue;
      const why = missingCommandText(command, where, report.client, context.os);
      out.push({
        name: server.name,
        command,
        problem: server.governed && !upstream
          ? `${why}: the client cannot start this governed server; write this thoth's path ` +
            `into its entry with: thoth wrap-config --output ${pasteQuote(report.configPath)} ` +
            pasteQuote(report.configPath)
          : upstream
          ? `${why}: thoth run cannot start this server's command`
          : `${why}: the client cannot start this server`,
      });
    }
  }
  return out;
}

/**
 * The credential's source as the report names it: the default API key file
 * is not `THOTH_API_KEY_FILE` when that variable is unset.
 */
function reportedSource(
  source: CredentialSource,
  env: ThothEnv,
): HealthReport["credentials"]["source"] {
  return source === "THOTH_API_KEY_FILE" && env.apiKeyFile === null
    ? "default_api_key_file"
    : source;
}

/**
 * The policy file, its digest, and whether `thoth run` can use it (through
 * the same validation `doctor` uses). No file is valid: the default applies;
 * a symbolic link that leads to no file is invalid (`missingPolicyProblem`).
 * Only a regular file is read (a FIFO would hang the report for ever, and
 * `thoth run` refuses it), and only up to {@linkcode MAX_POLICY_FILE_BYTES}:
 * a larger one is invalid as too large, its digest not taken.
 */
async function policyPart(context: DoctorContext, path: string): Promise<HealthReport["policy"]> {
  // The root of the file system is no profile (the profile part says so): nothing in it counts.
  if (await profileIsFileSystemRoot(context)) {
    return { path, present: false, sha256: null, valid: false, problem: NOT_CHECKED_ROOT_PROFILE };
  }
  // A policy another user can change is refused by thoth run (and doctor's policy check).
  const governing: GoverningFile = { kind: "policy", path, thothHome: context.thothHome };
  const trust = context.os === "windows"
    ? null
    : await governingFileTrust(governing, context.host.uid());
  const untrusted = async (error: AppError): Promise<HealthReport["policy"]> => ({
    path,
    // In a profile another user can change, a policy not there yet is refused too.
    present: await Deno.lstat(path).then(() => true, () => false),
    sha256: null,
    valid: false,
    problem: `${error.message}: ${error.hints[0] ?? ""}`,
  });
  const refusal = trust === null ? null : await untrustedGoverningFile(governing, trust);
  if (refusal !== null) return await untrusted(refusal);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await readTrustedFile(governing, trust, MAX_POLICY_FILE_BYTES);
  } catch (error) {
    if (isAppError(error, "policy.untrusted")) return await untrusted(error);
    if (error instanceof Deno.errors.NotFound) {
      // A link that leads nowhere is there, and thoth run refuses it (doctor's judgement too).
      const broken = missingPolicyProblem(path);
      if (broken === null) {
        return { path, present: false, sha256: null, valid: true, problem: null };
      }
      const problem = `${broken.message}; ${broken.hints[0] ?? ""}`;
      return { path, present: true, sha256: null, valid: false, problem };
    }
    if (error instanceof FileOverLimitError) {
      // Never read whole: its digest is not taken either.
      return {
        path,
        present: true,
        sha256: null,
        valid: false,
        problem: `${policyTooLargeText(path, error)}: ${
          policyTooLargeRemedy(path, { profile: true })
        }`,
      };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return {
      path,
      present: true,
      sha256: null,
      valid: false,
      problem: `cannot read the policy: ${reason}`,
    };
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = toHex(digest);
  // Decoded as thoth run reads it (a byte that is not UTF-8 becomes U+FFFD).
  const text = new TextDecoder().decode(bytes);
  const result = context.plugins.validatePolicy(text, path);
  return {
    path,
    present: true,
    sha256,
    valid: result.ok,
    problem: result.ok ? null : result.message,
  };
}

/**
 * Fleet registration as this build has it: none. What the environment asks
 * for (fleet id, interval, the derived registration URL) is reported, and
 * `registration` says plainly that none of it is acted on.
 */
function fleetPart(env: ThothEnv | null, invalid: ReadonlySet<string>): HealthReport["fleet"] {
  return {
    last_checkin_at: null,
    registration: "not_implemented",
    fleet_id: env?.fleetId ?? null,
    // An invalid interval is null, not the default.
    checkin_interval_sec: invalid.has("THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC")
      ? null
      : env?.checkinIntervalSec ?? null,
    registration_url: env === null || env.tenantId === null || env.apexDomain === null
      ? null
      : deriveTenantUrls(env.tenantId, env.apexDomain).registration,
  };
}

/** Every call is decided by the local policy in this build: the tenant's enforcer is never used. */
const NOT_IN_USE = { in_use: ENFORCER_IN_USE, decisions: "local_policy" } as const;

async function enforcerPart(
  context: DoctorContext,
  env: ThothEnv | null,
  probe: boolean,
): Promise<HealthReport["enforcer"]> {
  if (env === null || env.tenantId === null || env.apexDomain === null) {
    return { url: null, reachability: "not_configured", detail: null, ...NOT_IN_USE };
  }
  const urls = deriveTenantUrls(env.tenantId, env.apexDomain);
  if (!probe) {
    return { url: urls.enforcer, reachability: "not_probed", detail: null, ...NOT_IN_USE };
  }
  try {
    await context.host.resolveHost(urls.enforcerHost);
  } catch (error) {
    const detail = error instanceof Error
      ? error.message.split("\n")[0] ?? error.name
      : String(error);
    return { url: urls.enforcer, reachability: "unresolvable", detail, ...NOT_IN_USE };
  }
  const result = await context.host.probeUrl(urls.enforcer);
  return {
    url: urls.enforcer,
    // A server error or throttling (5xx, 429) is an answer, but not a healthy one: doctor warns.
    reachability: !result.reachable
      ? "unreachable"
      : result.trouble === "unhealthy"
      ? "unhealthy"
      : "reachable",
    detail: result.detail,
    ...NOT_IN_USE,
  };
}
