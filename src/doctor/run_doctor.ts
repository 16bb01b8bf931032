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
import type { ClientConfigReport, PluginContext, ThothCheck } from "./doctor_plugins.ts";
import { checkApprovalChannels } from "./check_approval_channels.ts";
import { checkAudit } from "./check_audit.ts";
import { checkClientConfigs, type CheckedConfig, type LookedAt } from "./check_client_configs.ts";
import { relativeFolderText, serverPath } from "./server_path.ts";
import { missingHomeVariable } from "../config/discover_client_configs.ts";
import { displayText } from "../approval/display_text.ts";
import { checkCredentials } from "./check_credentials.ts";
import { checkEndpointIdentity } from "./check_endpoint_identity.ts";
import { checkEnforcer } from "./check_enforcer.ts";
import { checkEnvironment } from "./check_environment.ts";
import { checkIntentMap } from "./check_intent_map.ts";
import { checkPolicy } from "./check_policy.ts";
import { checkProfile } from "./check_profile.ts";
import { checkProgressiveState } from "./check_progressive_state.ts";
import { checkRuntime } from "./check_runtime.ts";
import { checkSandbox } from "./check_sandbox.ts";
import { checkUpstreamPath } from "./check_upstream_path.ts";
import { notCheckedForProfile, profileFolderProblem } from "./profile_folder_problem.ts";

/** Runs all checks. Never throws. */
export async function runDoctor(context: DoctorContext): Promise<DoctorCheck[]> {
  // Started now, beside the other checks: trying the sandbox starts thoth once more.
  const sandbox = checkSandbox(context);
  sandbox.catch(() => {/* reported by its step */});
  const pluginContext = { env: context.env, thothHome: context.thothHome, os: context.os };
  let reports: readonly ClientConfigReport[] | null = null;
  let lookedAt: LookedAt | null = null;
  let discoveryError: unknown = null;
  const discoverPlaces = context.plugins.discoverClientPlaces;
  if (discoverPlaces !== undefined && discoverPlaces !== null) {
    try {
      const found = await discoverPlaces(pluginContext);
      reports = found.reports;
      lookedAt = { places: found.places, notChecked: found.notChecked };
    } catch (error) {
      discoveryError = error;
    }
  } else if (context.plugins.discoverClients !== null) {
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
    ["sandbox", () => sandbox],
    ["endpoint_identity", () => checkEndpointIdentity(context)],
    ["profile", () => checkProfile(context)],
    ["environment", () => checkEnvironment(context.env, context.os)],
    ["credentials", () => checkCredentials(context)],
    ["policy", () => checkPolicy(context)],
    ["intent_map", () => checkIntentMap(context)],
    [
      "client_configs",
      fromReports(
        "client_configs",
        async (r) =>
          checkClientConfigs(
            r === null ? null : await withThothChecks(context, r),
            lookedAt,
            missingHomeVariable(context.env, context.os),
          ),
      ),
    ],
    ["upstream_path", fromReports("upstream_path", (r) => checkUpstreamPath(context, r))],
    ["audit", async () => checkAudit(await context.plugins.auditHealth(pluginContext))],
    // The configs only add which servers run in progressive mode: without them, still checked.
    ["progressive_state", () => checkProgressiveState(context, reports)],
    ["enforcer", () => checkEnforcer(context)],
    ["approval_channels", () => checkApprovalChannels(context)],
  ];
  // A profile that is no folder is the profile check's to say, once: what lives in it is not checked.
  const notFolder = await profileFolderProblem(context).catch(() => null);
  const inProfile = new Set<DoctorCheckId>([
    "credentials",
    "policy",
    "intent_map",
    "audit",
    "progressive_state",
  ]);
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

/**
 * Each governed server with the doctor's check of its thoth command, when
 * this build can check it; one check per command and PATH.
 */
async function withThothChecks(
  context: DoctorContext,
  reports: readonly ClientConfigReport[],
): Promise<CheckedConfig[]> {
  const verify = context.plugins.verifyThoth;
  if (verify === undefined || verify === null) return [...reports];
  const pluginContext: PluginContext = {
    env: context.env,
    thothHome: context.thothHome,
    os: context.os,
  };
  const done = new Map<string, Promise<ThothCheck>>();
  const checkOf = (
    launch: readonly string[],
    path: string,
    configPath: string,
    scope: "user" | "project",
  ): Promise<ThothCheck> => {
    const key = JSON.stringify([launch, path, configPath, scope]);
    let check = done.get(key);
    if (check === undefined) {
      check = verify(launch, path, pluginContext, configPath, scope).catch((error): ThothCheck => ({
        outcome: "unverified",
        detail: `the check could not run: ${describe(error)}`,
      }));
      done.set(key, check);
    }
    return check;
  };
  return await Promise.all(reports.map(async (report) => {
    const servers = await Promise.all(report.servers.map(async (server) => {
      if (!server.governed) return server;
      const launch = server.thothLaunch;
      // The PATH the client starts this entry with: its own env's PATH replaces the client's
      // (VS Code puts it after its own).
      const where = serverPath(report.client, context.os, context.env, server);
      let thothCheck: ThothCheck = launch === undefined || launch === null
        ? { outcome: "unverified", detail: "how the entry starts thoth is not known" }
        // A config of unknown scope is treated as a project's: nothing it names is started.
        // Only the PATH's absolute folders before a relative one: the client's folder decides the rest.
        : await checkOf(
          launch,
          where.searched,
          report.configPath,
          report.scope === "user" ? "user" : "project",
        );
      const command = launch?.[0] ?? "";
      const bare = !(context.os === "windows" ? /[\\/]/ : /\//).test(command);
      if (thothCheck.outcome === "missing" && bare && where.relative !== null) {
        thothCheck = {
          outcome: "unverified",
          detail: `${JSON.stringify(displayText(command, 300))} was not started: ` +
            relativeFolderText(where.relative).replace("that PATH", `the PATH (${where.path})`),
        };
      }
      if (thothCheck.outcome === "missing" && where.source === "entry") {
        thothCheck = {
          ...thothCheck,
          detail: `${thothCheck.detail} (looked up on the PATH its "env" block sets, which ` +
            (where.appended ? "VS Code puts after its own)" : "replaces the client's)"),
        };
      }
      return { ...server, thothCheck };
    }));
    return { ...report, servers };
  }));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] ?? error.name : String(error);
}
