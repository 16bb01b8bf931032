/**
 * Plans `thoth status`: one row per server saying whether it runs through
 * thoth, with what identity, intent and mode, and what has drifted. Pure: the
 * file check is passed in.
 *
 * Governed means the entry starts thoth in the shape `wrap-config` writes,
 * `thoth run [flags] -- <command>` (see {@linkcode readThothInvocation}). An
 * entry whose command names thoth in any other shape is `not_understood`, with
 * the reason in its note: it is neither governed nor counted as running
 * without thoth, and `--check` fails on it too.
 *
 * A server the client starts as a local command that thoth cannot rewrite
 * (see {@linkcode classifyEntry}: an argument or `env` value that is not a
 * string, an `env` that is not an object, `command` beside `url` without
 * `"type": "stdio"`) is `ungoverned`, with what to fix in its note: it runs
 * without thoth, and `--check` fails on it.
 *
 * `"disabled": true` changes none of this: Claude Code ignores it, and other
 * clients enable a server with one toggle, so a disabled stdio server that
 * does not run through thoth is `ungoverned` too (its note says why).
 *
 * Drift is anything that makes a wrapped entry differ from what `wrap-config`
 * writes today: the thoth path is not absolute, flags `thoth run` no longer
 * knows (an older flag set), a `THOTH_ENFORCER_URL` in the `env` (deprecated
 * and ignored, see `deprecated_env.ts`), required flags missing, an API key in the
 * arguments, a credential `thoth run` reads in the `env` in plain text (see
 * {@linkcode secretsInEnv}), a thoth path or script that is not a file on
 * this machine (the client cannot start the server: also in `cannotStart`,
 * and `--check` fails on it), or anything `thoth run` would refuse to start
 * with (see {@linkcode runRefusals}): a flag value, a flag given twice, a
 * `THOTH_WRAP` record it cannot read, a THOTH_* value in the entry's `env`, a tenant whose `env` does not set
 * `THOTH_USER_ID` (or blanks it), an intent map `thoth run` cannot use, a
 * session intent (`--intent` or mapped) the policy does not define. Those are
 * also listed in `refusals`, and `--check` fails on them: such a server does
 * not start at all. Two differently named servers with one agent id are
 * drift too: policy rules, intents and audit records cannot tell them apart;
 * so is an entry that names two tenants (`--tenant-id` in its args, another
 * `THOTH_TENANT_ID` in its `env`: see `tenant_conflict.ts`);
 * and so are servers of one name in several Claude Code scopes (one id) that
 * start different commands. So is an `--intent` that wrap-config took from
 * the intent map under the server's name (its `THOTH_WRAP` record says so)
 * once the map gives that name another intent or none, or gives its agent id
 * an entry of its own: the next wrap-config takes it from the map again.
 * `thoth run`'s own flag readers and the policy reader come
 * in as `run` (see {@linkcode RunReaders}); without them only the numeric
 * flags and the `env` block are checked.
 *
 * @example
 * ```ts
 * const report = planStatus('{"mcpServers": {"fs": {"command": "npx"}}}', {
 *   isFile: () => true,
 * });
 * report.servers[0]?.governed; // false
 * report.servers[0]?.state; // "ungoverned"
 * report.summary.ungoverned; // 1
 * ```
 */
import { parseConfig } from "./parse_config.ts";
import { isAbsolutePath } from "./is_absolute_path.ts";
import { serverEntries } from "./server_entries.ts";
import { classifyEntry } from "./classify_entry.ts";
import { deriveAgentId } from "../proxy/derive_agent_id.ts";
import { describeNotUnderstood, readThothInvocation } from "./thoth_invocation.ts";
import {
  hasWrapRecordKey,
  invocationContext,
  launchDrift,
  STRAY_WRAP_RECORD,
} from "./wrap_entry.ts";
import { type RunReaders, runRefusals } from "./run_refusals.ts";
import { describeRefusal, type Refusal } from "./run_refusal.ts";
import { type RunEntry, runEntryOf } from "./run_entry.ts";
import type { ClientId } from "./client_id.ts";
import { secretsInEnv } from "./env_credentials.ts";
import { DEPRECATED_ENV, deprecatedEnvDrift } from "./deprecated_env.ts";
import { conflictingTenantProblem, tenantConflict } from "./tenant_conflict.ts";
import { parseWrapRecord, wrapRecordFault } from "./wrap_record.ts";
import {
  type GovernedEntry,
  intentTakenFromMap,
  markIntentUnderName,
  markSharedAgentIds,
  shownIdentifier,
} from "./status_drift.ts";
import type { ServerStatus, StatusReport } from "./status_report.ts";

/** Options for {@linkcode planStatus}. */
export interface StatusOptions {
  /** Only this client's places; every known place when absent. */
  client?: ClientId;
  /** The file name used in messages. */
  label?: string;
  /** How this thoth is started, so entries it wrapped are recognised whatever its name. */
  thothCommand?: readonly string[];
  /** Whether a path names an existing file (for the thoth path check). */
  isFile: (path: string) => boolean;
  /** `thoth run`'s own readers, to find what it would refuse; numeric flags and `env` only when absent. */
  run?: RunReaders;
  /**
   * The command that wraps this very config, named in notes and fixes (e.g.
   * `thoth wrap-config --client vscode .vscode/mcp.json`); by default
   * `thoth wrap-config`, with `--client` when `client` is set.
   */
  wrapCommand?: string;
}

/**
 * One governed row (state `governed`) with what `thoth run` would refuse in
 * it, as {@linkcode runRefusals} found them: the objects behind
 * `row.refusals`, which `planStatus` words for the config's `wrapCommand`.
 */
export interface GovernedRefusals {
  /** The row of `report.servers` this is. */
  readonly row: ServerStatus;
  /** The entry as `thoth run` reads it, to judge again with other readers. */
  readonly entry: RunEntry;
  /**
   * Everything `thoth run` would refuse, in its order and words, those only
   * the client's own environment could lift (`Refusal.clientEnv`) included,
   * as they are in `row.refusals`.
   */
  readonly refusals: readonly Refusal[];
}

/** What {@linkcode planStatusWithRefusals} finds: the report, and its governed rows' refusals. */
export interface StatusWithRefusals {
  /** What {@linkcode planStatus} returns, the same object. */
  readonly report: StatusReport;
  /** One item per governed row, in file order. */
  readonly governed: readonly GovernedRefusals[];
}

/**
 * Reads the governance state of every server in `text`.
 *
 * @example
 * ```ts
 * planStatus(text, { isFile, run: thothRunReaders(thothHome) }).summary.refused; // 0
 * ```
 */
export function planStatus(text: string, options: StatusOptions): StatusReport {
  return planStatusWithRefusals(text, options).report;
}

/**
 * {@linkcode planStatus}, and for each governed row the {@linkcode Refusal}
 * objects its `refusals` were worded from, with the entry they were found in:
 * for a caller that must tell refusals apart (`wrap-config` leaves out
 * `clientEnv` ones, and judges again without this machine's profile) but
 * should find the servers exactly as `thoth status` does. The report is the
 * one `planStatus` returns, `--json` fields and all.
 *
 * @example
 * ```ts
 * const { governed } = planStatusWithRefusals(text, { isFile, run: readers });
 * governed.filter(({ refusals }) => refusals.some((refusal) => !refusal.clientEnv));
 * ```
 */
export function planStatusWithRefusals(
  text: string,
  options: StatusOptions,
): StatusWithRefusals {
  const root = parseConfig(text, options.label ?? "config", true);
  const wrapCommand = `"${
    options.wrapCommand ??
      (options.client === undefined
        ? "thoth wrap-config"
        : `thoth wrap-config --client ${options.client}`)
  }"`;
  const servers: ServerStatus[] = [];
  // What each governed server starts behind thoth, to tell one server in several scopes apart.
  const upstreams = new Map<ServerStatus, readonly string[]>();
  // Each governed server: its entry, its agent id as written, and whether it has no intent.
  const governed = new Map<ServerStatus, GovernedEntry>();
  const judged: GovernedRefusals[] = [];
  for (const entry of serverEntries(root, options.client, options.label)) {
    const row: ServerStatus = {
      name: entry.name,
      project: entry.project ?? null,
      transport: "unknown",
      disabled: false,
      governed: false,
      state: "not_applicable",
      agentId: null,
      tenantId: null,
      tenantIdSource: null,
      intent: null,
      intentSource: null,
      enforcementMode: null,
      command: null,
      upstreamCommand: null,
      drift: [],
      refusals: [],
      cannotStart: [],
      warnings: [],
      note: null,
    };
    servers.push(row);
    const kind = classifyEntry(entry.node);
    row.disabled = kind.disabled;
    if (kind.kind === "unwrappable") {
      row.transport = "stdio";
      row.command = kind.command;
      row.upstreamCommand = kind.command;
      row.note = `${kind.disabled ? `${DISABLED_RUNS}; ` : ""}runs without thoth: ` +
        `${kind.reason}; ${kind.fix}, then run ${wrapCommand}`;
      row.state = "ungoverned";
      continue;
    }
    if (kind.kind !== "stdio") {
      row.transport = kind.kind === "remote" ? "remote" : "unknown";
      row.note = kind.disabled ? "disabled" : kind.reason;
      continue;
    }
    row.transport = "stdio";
    const command = kind.command.value as string;
    const args = (kind.args?.children ?? []).map((node) => node.value as string);
    row.command = command;
    if (kind.disabled) row.note = "disabled";
    const found = readThothInvocation(
      command,
      args,
      options.thothCommand ?? [],
      invocationContext(kind.env),
    );
    if (found === undefined) {
      row.upstreamCommand = command;
      row.state = "ungoverned";
      // wrap-config refuses an entry with a stray THOTH_WRAP key: say that fix first.
      const stray = hasWrapRecordKey(kind.env) ? `: it ${STRAY_WRAP_RECORD}, then` : ";";
      row.note = `${kind.disabled ? `${DISABLED_RUNS}; ` : ""}runs without thoth${stray} run ` +
        wrapCommand;
      continue;
    }
    if (found.kind === "not_understood") {
      row.state = "not_understood";
      row.note = (kind.disabled ? "disabled; " : "") + describeNotUnderstood(found);
      continue;
    }
    const flags = new Map(found.flags);
    upstreams.set(row, found.upstream);
    row.governed = true;
    row.state = "governed";
    row.upstreamCommand = found.upstream[0] ?? null;
    // Without --agent-id, thoth run names the server after its command.
    const agentId = flags.get("--agent-id") ??
      (found.upstream[0] === undefined
        ? null
        : deriveAgentId(found.upstream[0], found.upstream.slice(1)));
    row.agentId = shownIdentifier(agentId);
    const runEntry = runEntryOf(found, args, kind.env);
    const envTenant = runEntry.env["THOTH_TENANT_ID"];
    const flagTenant = flags.get("--tenant-id");
    if (flagTenant !== undefined) {
      row.tenantId = shownIdentifier(flagTenant);
      row.tenantIdSource = "--tenant-id";
    } else if (envTenant !== undefined && envTenant !== "") {
      row.tenantId = shownIdentifier(envTenant);
      row.tenantIdSource = "env";
    }
    row.enforcementMode = flags.get("--enforcement-mode") ?? null;
    // A thoth that is not there starts no server: the client cannot start this one at all.
    const missing = row.cannotStart;
    if (!isAbsolutePath(command)) {
      row.drift.push(`thoth path "${command}" is not absolute; a GUI client may not find it`);
    } else if (!options.isFile(command)) {
      missing.push(
        `${NO_START}: thoth path "${command}" is not a file on this machine; install thoth ` +
          `there, or run ${wrapCommand} to write this thoth's path`,
      );
    }
    const script = found.thothCommand[found.thothCommand.length - 1]!;
    if (found.thothCommand.length > 1 && isAbsolutePath(script) && !options.isFile(script)) {
      missing.push(
        `${NO_START}: thoth script "${script}" is not a file on this machine; run ` +
          `${wrapCommand} to write this thoth's path`,
      );
    }
    const check = runRefusals(runEntry, options.run);
    row.intent = shownIdentifier(check.intent?.name ?? null);
    row.intentSource = check.intent?.from ?? null;
    if (agentId !== null) {
      const taken = intentTakenFromMap(kind.env, flags.get("--intent"));
      governed.set(row, {
        entry: runEntry,
        agentId,
        intentless: check.intent === null,
        ...(taken === undefined ? {} : { takenFromMap: taken }),
      });
    }
    judged.push({ row, entry: runEntry, refusals: check.refusals });
    const subjects = new Set(check.refusals.map((refusal) => refusal.subject));
    const older = found.unknownFlags.filter((flag) => !subjects.has(flag));
    if (older.length > 0) {
      row.drift.push(`older flag set: ${older.map((flag) => shownIdentifier(flag)).join(", ")}`);
    }
    if (row.enforcementMode === null) row.drift.push("older flag set: no --enforcement-mode");
    // As an --enforcer-url in the args is: THOTH_ENFORCER_URL in "env" is deprecated and ignored.
    row.drift.push(
      ...deprecatedEnvDrift(runEntry.env, addedByWrap(kind.env, DEPRECATED_ENV), wrapCommand),
    );
    const launch = launchDrift(found.thothCommand);
    if (launch !== undefined) row.drift.push(`${launch}; run ${wrapCommand}`);
    row.refusals = check.refusals.map((refusal) =>
      describeRefusal(refusal).replaceAll('"thoth wrap-config', wrapCommand.slice(0, -1))
    );
    row.drift.push(...missing, ...row.refusals);
    if (flags.has("--api-key")) {
      row.drift.push(
        `API key in args; store it with "thoth set-api-key --api-key -" and run ${wrapCommand}`,
      );
    }
    row.drift.push(...secretsInEnv(runEntry.env));
    // Two tenants: thoth run uses the flag, what reads the server's environment the variable.
    const tenants = tenantConflict(runEntry);
    if (tenants !== undefined) {
      const { message, remedy } = conflictingTenantProblem(tenants);
      row.drift.push(
        `${message}; keep one: ${
          (remedy ?? "").replace(/^wrap again with /, `run ${wrapCommand} with `)
        }`,
      );
    }
    row.warnings = [...check.warnings];
    const notes = [...check.warnings, ...check.unchecked];
    if (notes.length > 0) {
      row.note = [...(row.note === null ? [] : [row.note]), ...notes].join("; ");
    }
  }
  markSharedAgentIds(servers, upstreams);
  if (options.run !== undefined) markIntentUnderName(governed, options.run, wrapCommand);
  const report: StatusReport = {
    servers,
    summary: {
      servers: servers.length,
      governed: servers.filter((row) => row.governed).length,
      ungoverned: servers.filter((row) => row.state === "ungoverned").length,
      notUnderstood: servers.filter((row) => row.state === "not_understood").length,
      notApplicable: servers.filter((row) => row.state === "not_applicable").length,
      drifted: servers.filter((row) => row.drift.length > 0).length,
      refused: servers.filter((row) => row.refusals.length > 0).length,
      cannotStart: servers.filter((row) => row.cannotStart.length > 0).length,
    },
  };
  return { report, governed: judged };
}

/** Said of a disabled server that does not run through thoth. */
const DISABLED_RUNS = 'disabled, but Claude Code ignores "disabled" and other clients enable ' +
  "it with one toggle";

/** How a refusal that is not thoth run's own starts: the client cannot start thoth at all. */
const NO_START = "the client cannot start it";

/** Whether the readable `THOTH_WRAP` record of an entry's `env` says wrap-config added `key`. */
function addedByWrap(env: Parameters<typeof invocationContext>[0], key: string): boolean {
  const record = invocationContext(env).wrapRecord;
  if (record === undefined || wrapRecordFault(record) !== undefined) return false;
  return parseWrapRecord(record).added.includes(key);
}
