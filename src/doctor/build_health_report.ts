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
 * fleet tool to infer it. Each part is built in a module of its own
 * (`health_*_part.ts`, `sandbox_health.ts`); this one joins them.
 *
 * @example
 * ```ts
 * const report = await buildHealthReport(context, { probe: false });
 * io.out(JSON.stringify(report, null, 2) + "\n");
 * ```
 */
import { AppError } from "../errors.ts";
import { reportedEndpointId } from "../identity/reported_endpoint_id.ts";
import { requireRunIdentity } from "../identity/require_run_identity.ts";
import { deriveTenantUrls } from "../identity/tenant_urls.ts";
import { type ThothEnv, validateThothEnv } from "../identity/validate_thoth_env.ts";
import { joinPath } from "../platform/join_path.ts";
import { BUILD_COMMIT, VERSION } from "../version.ts";
import { checkProfile } from "./check_profile.ts";
import { readIntentMapReport } from "./check_intent_map.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { AuditHealth } from "./doctor_plugins.ts";
import type { HealthReport } from "./health_report_schema.ts";
import { HEALTH_SCHEMA_VERSION } from "./health_schema_version.ts";
import { profileNotChecked } from "./profile_not_checked.ts";
import { sandboxPart } from "./sandbox_health.ts";
import { credentialPart, notReadCredentials } from "./health_credentials_part.ts";
import { clientsPart } from "./health_clients_part.ts";
import { policyPart } from "./health_policy_part.ts";
import { auditCheckFailed, auditPart } from "./health_audit_part.ts";
import { progressivePart } from "./health_progressive_part.ts";
import { enforcerPart, fleetPart } from "./health_fleet_enforcer_part.ts";

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
          notes: null,
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
    enforcer: await enforcerPart(context, known, options.probe, invalid),
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
