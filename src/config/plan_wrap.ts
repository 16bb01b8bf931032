/**
 * Plans `thoth wrap-config`: the new config text and a report per server.
 * Pure: no file is read or written here; the shell applies the plan.
 *
 * Every stdio server becomes `thoth run --agent-id NAME [--tenant-id ID]
 * --enforcement-mode MODE [--intent INTENT] -- <original command> <args…>`
 * with `command` set to thoth's absolute path, since GUI clients start servers
 * with a minimal PATH. Comments, key order, indentation and line endings of the
 * rest of the file are kept byte for byte. Running it again with the same
 * options returns the same text. Remote entries are reported as not governed
 * and left alone. A disabled stdio server is wrapped like any other and stays
 * disabled: Claude Code ignores `"disabled"`, and other clients enable it
 * with one toggle, so leaving it as it is would leave a server that runs
 * without thoth. A server the client starts as a local command that stays
 * without thoth (one thoth cannot rewrite safely, see
 * {@linkcode classifyEntry}, or one skipped with a reason), disabled or not,
 * is also listed in `ungoverned`, for the shell to fail on. The planned text is parsed again
 * before it is returned: text that is not a valid config is an internal
 * error (`internal.bad_plan`), and nothing may be written.
 *
 * The plan never writes what `thoth run` would refuse to start with (see
 * `run_refusals.ts`): an `--env` THOTH_* value that breaks its rule is
 * a usage error (`usage.bad_env`), and so is an `--env` key given twice
 * (`usage.repeated_env`), and so is a credential `thoth run` reads
 * (`THOTH_API_KEY`, `THOTH_AUTH_TOKEN`, `THOTH_RUNTIME_BEARER_TOKEN`, see
 * `env_credentials.ts`): it would sit in the config in plain text
 * (`usage.secret_in_env`), and, given `thoth run`'s readers as `run`,
 * so is any new refusal in a wrapped entry, such as a tenant whose `env` now
 * sets `THOTH_USER_ID` to "" (`usage.refused_by_run`): nothing is planned.
 * What the plan only keeps (a refusal the entry already had) and a server
 * name that is not a valid agent id are warnings on the server, and
 * `thoth status` shows them as drift. A newly wrapped server that gets no
 * tenant (no `--tenant-id`, no `THOTH_TENANT_ID` in its `env`) earns one
 * warning for the plan; so do the servers whose tenant needs a user id that
 * their `env` does not set (`thoth run` refuses them unless the client's own
 * environment sets `THOTH_USER_ID`; `thoth status` counts them as refused),
 * and each such server carries it as a `config.will_not_start` warning note.
 * An `--env THOTH_ENFORCER_URL` (deprecated and ignored) is not written: a
 * warning says so, and each server written carries a `config.deprecated_setting`
 * note (see `deprecated_env.ts`). A `--tenant-id` beside another
 * `THOTH_TENANT_ID` in a server's `env` is `usage.conflicting_tenant` when the
 * plan would write the pair, a warning when the entry already had it (see
 * `tenant_conflict.ts`).
 * An `--api-key` taken out of an entry's args is listed in `removedApiKeys`:
 * the key is saved nowhere, and the original text still holds it; its value
 * is in `removedSecrets`, so that the write keeps a backup that holds it.
 *
 * @example
 * ```ts
 * const plan = planWrap('{"mcpServers": {"fs": {"command": "npx", "args": ["pkg"]}}}', {
 *   thothCommand: ["/opt/thoth/bin/thoth"],
 *   tenantId: "acme",
 * });
 * plan.text;
 * // {"mcpServers": {"fs": {"command": "/opt/thoth/bin/thoth", "args": ["run", "--agent-id",
 * //   "fs", "--tenant-id", "acme", "--enforcement-mode", "block", "--", "npx", "pkg"]}}}
 * plan.servers[0]?.action; // "wrapped"
 * ```
 *
 * The plan's shape, shared with unwrap, is `config_plan.ts`'s; the agent ids,
 * the `--env` checks and the check of what `thoth run` would refuse are
 * `reserve_agent_ids.ts`'s, `check_env_pairs.ts`'s and `check_wrap_refusals.ts`'s.
 */
import type { Edit } from "jsonc-parser";
import { applyEdits } from "./apply_edits.ts";
import { checkPlannedText } from "./check_planned_text.ts";
import { parseConfig } from "./parse_config.ts";
import { isAbsolutePath } from "./is_absolute_path.ts";
import { serverEntries, type ServerEntry } from "./server_entries.ts";
import { classifyEntry } from "./classify_entry.ts";
import { invocationContext, wrapEntry } from "./wrap_entry.ts";
import { readThothInvocation } from "./thoth_invocation.ts";
import type { RunReaders } from "./run_refusals.ts";
import { type RunEntry, runEntryOf } from "./run_entry.ts";
import type { ClientId } from "./client_id.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import { type PathCheck, upstreamPathWarning } from "./upstream_path_warning.ts";
import { AppError } from "../errors.ts";
import { AgentIds } from "./agent_id_for.ts";
import { flaggedAsKey, shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { secretsInEnv } from "./env_credentials.ts";
import { invalidEntryProblem, remoteProblem, unwrappableProblem } from "./server_problem.ts";
import { DEPRECATED_ENV, deprecatedEnvNotWritten, noteDeprecatedEnv } from "./deprecated_env.ts";
import { checkTenantConflicts } from "./tenant_conflict.ts";
import type { ConfigPlan, ServerReport } from "./config_plan.ts";
import { projectOf, reserveIds } from "./reserve_agent_ids.ts";
import { checkEnvPairs } from "./check_env_pairs.ts";
import { checkWrapRefusals } from "./check_wrap_refusals.ts";

/** The selected values for a wrap. */
export interface WrapOptions {
  /** How thoth is started: `[absolute path]` compiled, `[deno, run, …, script]` from source. */
  thothCommand: readonly string[];
  /** Written as `--tenant-id`; when absent a wrapped entry keeps its own. */
  tenantId?: string;
  /** Written as `--enforcement-mode`; new entries default to `block`, wrapped ones keep theirs. */
  enforcementMode?: EnforcementMode;
  /** Server name → session intent (`--intent-map`). */
  intents?: Readonly<Record<string, string>>;
  /** `--env KEY=VALUE` pairs, in order. */
  env?: readonly (readonly [string, string])[];
  /** Only this client's places; every known place when absent. */
  client?: ClientId;
  /** The file name used in messages. */
  label?: string;
  /** Enables the minimal-PATH check of upstream commands. */
  pathCheck?: PathCheck;
  /** `thoth run`'s own readers: with them the plan refuses to write an entry thoth run would refuse. */
  run?: RunReaders;
  /** Where `thoth set-api-key` saves a key here, named when an `--api-key` is taken out of args. */
  apiKeyFile?: string;
  /**
   * Who must run `thoth set-api-key` for the key to reach that file, when not
   * the user running wrap-config (root, judging by the config owner's
   * profile): "uid 1000, who owns …".
   */
  apiKeyRunAs?: string;
  /**
   * The agent ids shared by every file this run wraps, from
   * `reserveAgentIds` (in `reserve_agent_ids.ts`; the plans add the ids they
   * hand out); the file's own ids alone when absent.
   */
  agentIds?: AgentIds;
}

/** The plan for `wrap-config`. */
export type WrapPlan = ConfigPlan;

/** Why a disabled server is wrapped all the same: "disabled" does not keep it from running. */
const DISABLED_RUNS = 'disabled, but Claude Code ignores "disabled" and other clients enable it ' +
  "with one toggle";

/** Said of a disabled server wrap-config wrapped. */
const DISABLED_WRAPPED = 'disabled: wrapped all the same, since Claude Code ignores "disabled" ' +
  "and other clients enable it with one toggle; it stays disabled";

const SECRET_KEY = /(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

/** The warning for an intent map key naming no server in `label`; a key-shaped name is not shown. */
export function intentMapNamesMissing(server: string, label: string): string {
  return `the intent map names "${shownUnlessKey(server)}", which is not in ${label}`;
}

/** Plans the wrap of every stdio server in `text`. */
export function planWrap(text: string, options: WrapOptions): WrapPlan {
  const label = options.label ?? "config";
  const [thothPath] = options.thothCommand;
  if (thothPath === undefined || !isAbsolutePath(thothPath)) {
    throw new AppError("config.bad_thoth_path", `thoth path "${thothPath ?? ""}" is not absolute`, {
      hints: ["GUI clients start servers with a minimal PATH; pass an absolute --thoth-path"],
    });
  }
  checkEnvPairs(options.env ?? []);
  // THOTH_ENFORCER_URL is deprecated and ignored: never written (see deprecated_env.ts).
  const dropped = (options.env ?? []).some(([key]) => key === DEPRECATED_ENV);
  const env = (options.env ?? []).filter(([key]) => key !== DEPRECATED_ENV);
  const root = parseConfig(text, label);
  const entries = serverEntries(root, options.client, label);
  const edits: Edit[] = [];
  const servers: ServerReport[] = [];
  const warnings: string[] = [];
  const kinds = entries.map((entry) => classifyEntry(entry.node));
  // One run over several files (VS Code's mcp.json and settings.json) shares one AgentIds,
  // reserved over all of them first (see reserveAgentIds); taking it again here changes nothing.
  const agentIds = options.agentIds ?? new AgentIds(flaggedAsKey);
  reserveIds(agentIds, [{ entries, kinds }], options.thothCommand);
  const ungoverned: NonNullable<WrapPlan["ungoverned"]> = [];
  const removedApiKeys: string[] = [];
  const removedSecrets: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const report: ServerReport = { name: entry.name, action: "skipped", reasons: [], warnings: [] };
    if (entry.project !== undefined) report.project = entry.project;
    servers.push(report);
    const kind = kinds[i]!;
    if (kind.kind === "unwrappable") {
      const reason = `${kind.disabled ? `${DISABLED_RUNS}: ` : ""}${kind.reason}; ${kind.fix}, ` +
        "then wrap again";
      report.reasons.push(`runs without thoth: ${reason}`);
      report.problem = unwrappableProblem(kind);
      ungoverned.push({ name: entry.name, ...projectOf(entry), reason });
      continue;
    }
    if (kind.kind !== "stdio") {
      const reason = kind.kind === "remote" ? kind.reason : `${kind.reason}; not governed`;
      report.reasons.push(kind.disabled ? "disabled; not governed" : reason);
      report.problem = kind.kind === "remote"
        ? remoteProblem(kind.reason)
        : invalidEntryProblem(kind.reason);
      continue;
    }
    const entryOptions: Parameters<typeof wrapEntry>[3] = {
      thothCommand: options.thothCommand,
      agentIds,
    };
    if (entry.project !== undefined) entryOptions.project = entry.project;
    if (options.tenantId !== undefined) entryOptions.tenantId = options.tenantId;
    if (options.enforcementMode !== undefined) {
      entryOptions.enforcementMode = options.enforcementMode;
    }
    const intent = options.intents !== undefined && Object.hasOwn(options.intents, entry.name)
      ? options.intents[entry.name]
      : undefined;
    if (intent !== undefined) entryOptions.intent = intent;
    if (env.length > 0) entryOptions.env = env;
    if (options.apiKeyFile !== undefined) entryOptions.apiKeyFile = options.apiKeyFile;
    if (options.apiKeyRunAs !== undefined) entryOptions.apiKeyRunAs = options.apiKeyRunAs;
    if (options.run !== undefined) entryOptions.run = options.run;
    const result = wrapEntry(text, kind, entry.name, entryOptions);
    if (result.removedApiKey === true) removedApiKeys.push(entry.name);
    removedSecrets.push(...(result.removedApiKeyValues ?? []));
    report.action = result.action;
    report.reasons.push(...result.reasons);
    if (kind.disabled && result.action === "wrapped") report.reasons.push(DISABLED_WRAPPED);
    if (result.problem !== undefined) report.problem = result.problem;
    if (result.action === "skipped") {
      ungoverned.push({
        name: entry.name,
        ...projectOf(entry),
        reason: `not rewritten: ${result.reasons.join("; ")}`,
      });
    }
    edits.push(...result.edits);
    if (result.upstreamCommand !== undefined && options.pathCheck !== undefined) {
      const warning = upstreamPathWarning(result.upstreamCommand, options.pathCheck);
      if (warning !== undefined) report.warnings.push(warning);
    }
  }
  if (entries.length === 0) {
    warnings.push(
      `no MCP servers found in ${label} (looked for "mcpServers", "servers", ` +
        '"mcp.servers" and "projects.*.mcpServers")',
    );
  }
  const names = new Set(entries.map((entry) => entry.name));
  for (const server of Object.keys(options.intents ?? {})) {
    if (!names.has(server)) {
      warnings.push(intentMapNamesMissing(server, label));
    }
  }
  if (dropped) warnings.push(deprecatedEnvNotWritten());
  for (const [key] of env) {
    // A variable naming a file that holds a secret (THOTH_AUTH_TOKEN_FILE) holds a path.
    if (SECRET_KEY.test(key) && !/_FILE$/i.test(key)) {
      const store = options.apiKeyFile === undefined
        ? "in the profile"
        : `in "${options.apiKeyFile}"`;
      const runAs = options.apiKeyRunAs === undefined ? "" : `, run as ${options.apiKeyRunAs}`;
      warnings.push(
        `--env ${key} writes its value into ${label} in plain text; thoth's own API key ` +
          `belongs ${store} ("thoth set-api-key --api-key -"${runAs})`,
      );
    }
  }
  for (const [key] of env) {
    if (key.startsWith("THOTH_")) continue;
    warnings.push(
      `--env ${key} reaches thoth only, not the server: thoth run takes the variables ` +
        "wrap-config added out of the server's environment; to give the server a variable, " +
        `add it to its "env" by hand`,
    );
  }
  const newText = applyEdits(text, edits);
  const newRoot = checkPlannedText(newText, label, "wrap-config");
  const before = wrappedEntries(entries, options);
  const after = wrappedEntries(serverEntries(newRoot, options.client, label), options);
  const untenanted = servers.filter((server, i) =>
    server.action === "wrapped" && after[i] !== undefined && !hasTenant(after[i])
  );
  if (untenanted.length > 0) {
    warnings.push(
      "no tenant id written; pass --tenant-id or set THOTH_TENANT_ID (the tenant scopes " +
        "governance and names your organization in each session's audit record; calls are " +
        "decided by the local policy with or without it)",
    );
  }
  servers.forEach((server, i) => {
    const entry = after[i];
    if (server.action === "skipped" || entry === undefined) return;
    server.warnings.push(...secretsInEnv(entry.env));
  });
  noteDeprecatedEnv(servers, after, dropped);
  if (options.run !== undefined) {
    warnings.push(
      ...checkWrapRefusals(servers, before, after, { ...options, run: options.run, label }),
    );
  }
  checkTenantConflicts(servers, before, after, env.some(([key]) => key === "THOTH_TENANT_ID"));
  return {
    text: newText,
    changed: newText !== text,
    servers,
    warnings,
    ungoverned,
    removedApiKeys,
    removedSecrets,
  };
}

/** What the checks read of each entry that is wrapped: undefined where it is not thoth's. */
function wrappedEntries(
  entries: readonly ServerEntry[],
  options: WrapOptions,
): (RunEntry | undefined)[] {
  return entries.map((entry) => {
    const kind = classifyEntry(entry.node);
    if (kind.kind !== "stdio") return undefined;
    const args = (kind.args?.children ?? []).map((node) => node.value as string);
    const found = readThothInvocation(
      kind.command.value as string,
      args,
      options.thothCommand,
      invocationContext(kind.env),
    );
    return found?.kind === "wrapped" ? runEntryOf(found, args, kind.env) : undefined;
  });
}

function hasTenant(entry: RunEntry): boolean {
  return entry.flags.some(([flag]) => flag === "--tenant-id") ||
    (entry.env["THOTH_TENANT_ID"] ?? "") !== "";
}
