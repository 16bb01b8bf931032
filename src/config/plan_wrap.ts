/**
 * Plans `thoth wrap-config`: the new config text and a report per server.
 * Pure: no file is read or written here; the shell applies the plan.
 *
 * Every stdio server becomes `thoth run --agent-id NAME [--tenant-id ID]
 * --enforcement-mode MODE [--intent INTENT] -- <original command> <args…>`
 * with `command` set to thoth's absolute path, since GUI clients start servers
 * with a minimal PATH. Comments, key order, indentation and line endings of the
 * rest of the file are kept byte for byte. Running it again with the same
 * options returns the same text. Remote and disabled entries are reported as
 * not governed and left alone.
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
 */
import { applyEdits, type Edit } from "jsonc-parser";
import { parseConfig } from "./parse_config.ts";
import { isAbsolutePath } from "./is_absolute_path.ts";
import { serverEntries } from "./server_entries.ts";
import { classifyEntry } from "./classify_entry.ts";
import { wrapEntry } from "./wrap_entry.ts";
import type { ClientId } from "./client_id.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import { type PathCheck, upstreamPathWarning } from "./upstream_path_warning.ts";
import { AppError } from "../errors.ts";

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
  /**
   * The intents the local policy defines and how to name that policy: an
   * intent from the map that is not among them gets a warning, since
   * `thoth run` refuses to start such a server. Unchecked when absent.
   */
  policyIntents?: { names: readonly string[]; source: string };
  /** `--env KEY=VALUE` pairs, in order. */
  env?: readonly (readonly [string, string])[];
  /** Only this client's places; every known place when absent. */
  client?: ClientId;
  /** The file name used in messages. */
  label?: string;
  /** Enables the minimal-PATH check of upstream commands. */
  pathCheck?: PathCheck;
}

/** What happened to one server. */
export interface ServerReport {
  /** The server's key in the config. */
  name: string;
  /** The Claude Code project the entry belongs to, if any. */
  project?: string;
  /** What the plan does to it. */
  action: "wrapped" | "updated" | "unchanged" | "skipped" | "unwrapped";
  /** What changed, or why nothing did. */
  reasons: string[];
  /** Things to fix by hand, e.g. a command a GUI client would not find. */
  warnings: string[];
}

/** The new text and what it changes. */
export interface ConfigPlan {
  /** The config as it should be written. */
  text: string;
  /** Whether `text` differs from the input. */
  changed: boolean;
  /** One report per server entry, in file order. */
  servers: ServerReport[];
  /** Warnings not tied to one server. */
  warnings: string[];
}

/** The plan for `wrap-config`. */
export type WrapPlan = ConfigPlan;

const SECRET_KEY = /(API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL)/i;

/** Plans the wrap of every stdio server in `text`. */
export function planWrap(text: string, options: WrapOptions): WrapPlan {
  const label = options.label ?? "config";
  const [thothPath] = options.thothCommand;
  if (thothPath === undefined || !isAbsolutePath(thothPath)) {
    throw new AppError("config.bad_thoth_path", `thoth path "${thothPath ?? ""}" is not absolute`, {
      hints: ["GUI clients start servers with a minimal PATH; pass an absolute --thoth-path"],
    });
  }
  const root = parseConfig(text, label);
  const entries = serverEntries(root, options.client);
  const edits: Edit[] = [];
  const servers: ServerReport[] = [];
  const warnings: string[] = [];
  for (const entry of entries) {
    const report: ServerReport = { name: entry.name, action: "skipped", reasons: [], warnings: [] };
    if (entry.project !== undefined) report.project = entry.project;
    servers.push(report);
    const kind = classifyEntry(entry.node);
    if (kind.kind !== "stdio") {
      const reason = kind.kind === "remote" ? kind.reason : `${kind.reason}; not governed`;
      report.reasons.push(kind.disabled ? "disabled; not governed" : reason);
      continue;
    }
    if (kind.disabled) {
      report.reasons.push("disabled; not governed");
      continue;
    }
    const entryOptions: Parameters<typeof wrapEntry>[4] = { thothCommand: options.thothCommand };
    if (options.tenantId !== undefined) entryOptions.tenantId = options.tenantId;
    if (options.enforcementMode !== undefined) {
      entryOptions.enforcementMode = options.enforcementMode;
    }
    const intent = options.intents?.[entry.name];
    if (intent !== undefined) entryOptions.intent = intent;
    if (options.env !== undefined) entryOptions.env = options.env;
    const result = wrapEntry(
      text,
      kind,
      [...entry.scopePath, entry.name],
      entry.name,
      entryOptions,
    );
    report.action = result.action;
    report.reasons.push(...result.reasons);
    const known = options.policyIntents;
    if (intent !== undefined && known !== undefined && !known.names.includes(intent)) {
      report.warnings.push(
        `its intent "${intent}" is not defined by ${known.source}, so thoth run will refuse to ` +
          "start it until the policy defines it " +
          (known.names.length > 0
            ? `(it defines: ${known.names.join(", ")})`
            : "(it defines none)"),
      );
    }
    edits.push(...result.edits);
    if (result.upstreamCommand !== undefined && options.pathCheck !== undefined) {
      const warning = upstreamPathWarning(result.upstreamCommand, options.pathCheck);
      if (warning !== undefined) report.warnings.push(warning);
    }
  }
  if (entries.length === 0) {
    warnings.push(
      `no MCP servers found in ${label} (looked for "mcpServers", "servers" and ` +
        '"projects.*.mcpServers")',
    );
  }
  const names = new Set(entries.map((entry) => entry.name));
  for (const server of Object.keys(options.intents ?? {})) {
    if (!names.has(server)) {
      warnings.push(`the intent map names "${server}", which is not in ${label}`);
    }
  }
  for (const [key] of options.env ?? []) {
    if (SECRET_KEY.test(key)) {
      warnings.push(
        `--env ${key} writes its value into ${label} in plain text; thoth's own credentials ` +
          'belong under ~/.thoth ("thoth set-api-key")',
      );
    }
  }
  const newText = applyEdits(text, edits);
  return { text: newText, changed: newText !== text, servers, warnings };
}
