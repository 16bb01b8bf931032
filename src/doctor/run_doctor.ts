/**
 * Runs every `thoth doctor` check in order and returns them as data. A check
 * that throws unexpectedly becomes a `fail` naming the check, so one broken
 * check never hides the others.
 *
 * @example
 * ```ts
 * const checks = await runDoctor(denoDoctorContext({ env: Deno.env.toObject(), thothHome }));
 * const failed = checks.some((c) => c.status === "fail");
 * ```
 */
import type { DoctorCheck, DoctorCheckId } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { ClientConfigReport } from "./doctor_plugins.ts";
import { checkApprovalChannels } from "./check_approval_channels.ts";
import { checkAudit } from "./check_audit.ts";
import { checkClientConfigs } from "./check_client_configs.ts";
import { checkCredentials } from "./check_credentials.ts";
import { checkEndpointIdentity } from "./check_endpoint_identity.ts";
import { checkEnforcer } from "./check_enforcer.ts";
import { checkEnvironment } from "./check_environment.ts";
import { checkIntentMap } from "./check_intent_map.ts";
import { checkPolicy } from "./check_policy.ts";
import { checkProfile } from "./check_profile.ts";
import { checkRuntime } from "./check_runtime.ts";
import { checkUpstreamPath } from "./check_upstream_path.ts";
import { notCheckedForProfile, profileFolderProblem } from "./profile_folder_problem.ts";

/** Runs all checks. Never throws. */
export async function runDoctor(context: DoctorContext): Promise<DoctorCheck[]> {
  const pluginContext = { env: context.env, thothHome: context.thothHome, os: context.os };
  let reports: readonly ClientConfigReport[] | null = null;
  let discoveryError: unknown = null;
  if (context.plugins.discoverClients !== null) {
    try {
      reports = await context.plugins.discoverClients(pluginContext);
    } catch (error) {
      discoveryError = error;
    }
  }
  const fromReports = (
    id: DoctorCheckId,
    check: (r: readonly ClientConfigReport[] | null) => DoctorCheck | Promise<DoctorCheck>,
  ) =>
  async (): Promise<DoctorCheck> => {
    if (discoveryError !== null) {
      return {
        id,
        status: "fail",
        message: `cannot read the MCP client configs: ${describe(discoveryError)}`,
        hint: 'run "thoth status --verbose" to see which config failed',
      };
    }
    return await check(reports);
  };
  const steps: [DoctorCheckId, () => DoctorCheck | Promise<DoctorCheck>][] = [
    ["runtime", () => checkRuntime(context)],
    ["endpoint_identity", () => checkEndpointIdentity(context)],
    ["profile", () => checkProfile(context)],
    ["environment", () => checkEnvironment(context.env, context.os)],
    ["credentials", () => checkCredentials(context)],
    ["policy", () => checkPolicy(context)],
    ["intent_map", () => checkIntentMap(context)],
    ["client_configs", fromReports("client_configs", checkClientConfigs)],
    ["upstream_path", fromReports("upstream_path", (r) => checkUpstreamPath(context, r))],
    ["audit", async () => checkAudit(await context.plugins.auditHealth(pluginContext))],
    ["enforcer", () => checkEnforcer(context)],
    ["approval_channels", () => checkApprovalChannels(context)],
  ];
  // A profile that is no folder is the profile check's to say, once: what lives in it is not checked.
  const notFolder = await profileFolderProblem(context).catch(() => null);
  const inProfile = new Set<DoctorCheckId>(["credentials", "policy", "intent_map", "audit"]);
  const checks: DoctorCheck[] = [];
  for (const [id, step] of steps) {
    if (notFolder !== null && inProfile.has(id)) {
      checks.push(notCheckedForProfile(id));
      continue;
    }
    try {
      checks.push(await step());
    } catch (error) {
      checks.push({
        id,
        status: "fail",
        message: `the ${id} check could not run: ${describe(error)}`,
        hint: error instanceof Deno.errors.PermissionDenied
          ? "give your user back access to THOTH_HOME (the message names the file), " +
            'then run "thoth doctor" again'
          : 're-run with "thoth --verbose doctor" and report the output',
      });
    }
  }
  return checks;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
}
