/**
 * Plans `thoth unwrap-config`: every wrapped entry goes back to exactly what it
 * was before `wrap-config`. Pure.
 *
 * The original command is the JSON text just after the first `--`, moved back
 * verbatim; the thoth arguments before it are cut out together with the
 * separators wrap inserted; the env keys listed in the entry's
 * {@linkcode WRAP_RECORD_KEY} record are removed, values it overwrote are put
 * back, and `args`/`env` properties wrap created are removed. For a file wrap
 * produced, the result is the original byte for byte. Entries wrapped by hand
 * (no record) lose the thoth arguments and keep their env. An entry is
 * recognised as wrapped as {@linkcode readThothInvocation} says: by its
 * thoth's name, by this thoth's own command, or by a `THOTH_WRAP` record
 * that names its command. An entry that names thoth (or carries a record)
 * but cannot be restored (not understood, a record that cannot be read, a
 * thoth entry with an argument that is not a string) is left as it is and
 * listed in `notRestored`, for the shell to fail on: it may still run
 * through thoth.
 * An `--api-key` among the thoth arguments goes with them, as `planWrap`
 * reports it: the server is listed in `removedApiKeys` and the key's value in
 * `removedSecrets`, so that the write keeps a private backup that holds it
 * (the key is saved nowhere else); the server's line says so, never the key.
 * The planned text is parsed again before it is returned; text that is not
 * a valid config is an internal error (`internal.bad_plan`).
 *
 * @example
 * ```ts
 * const wrapped = '{"mcpServers": {"fs": {"command": "/opt/thoth/bin/thoth", ' +
 *   '"args": ["run", "--agent-id", "fs", "--enforcement-mode", "block", "--", "npx", "pkg"]}}}';
 * planUnwrap(wrapped).text; // '{"mcpServers": {"fs": {"command": "npx", "args": ["pkg"]}}}'
 * ```
 */
import type { Edit, Node } from "jsonc-parser";
import { applyEdits } from "./apply_edits.ts";
import { checkPlannedText } from "./check_planned_text.ts";
import { parseConfig } from "./parse_config.ts";
import { serverEntries } from "./server_entries.ts";
import { classifyEntry, type StdioEntry } from "./classify_entry.ts";
import {
  describeNotUnderstood,
  namesThothBinary,
  readThothInvocation,
} from "./thoth_invocation.ts";
import { invocationContext } from "./wrap_entry.ts";
import { emptyWrapRecord, parseWrapRecord, replacedValue, WRAP_RECORD_KEY } from "./wrap_record.ts";
import { nodeEnd, removeChildren, span } from "./_json_layout.ts";
import type { ClientId } from "./client_id.ts";
import type { ConfigPlan, ServerReport } from "./config_plan.ts";
import { AppError, isAppError } from "../errors.ts";
import { invalidEntryProblem, notRestoredProblem, remoteProblem } from "./server_problem.ts";

/** Options for {@linkcode planUnwrap}. */
export interface UnwrapOptions {
  /** Only this client's places; every known place when absent. */
  client?: ClientId;
  /** The file name used in messages. */
  label?: string;
  /** How this thoth is started, so entries it wrapped are recognised whatever its name. */
  thothCommand?: readonly string[];
  /** Where `thoth set-api-key` saves a key here, named when an `--api-key` is taken out of args. */
  apiKeyFile?: string;
  /** Who must run `thoth set-api-key` for the key to reach that file, when not this user. */
  apiKeyRunAs?: string;
}

/** The plan for `unwrap-config`. */
export type UnwrapPlan = ConfigPlan & {
  /**
   * Entries that name thoth, or carry its record, and were left as they are
   * (they may still run through thoth), each with why.
   */
  notRestored: { name: string; project?: string; reason: string }[];
};

/** Plans the unwrap of every wrapped entry in `text`. */
export function planUnwrap(text: string, options: UnwrapOptions = {}): UnwrapPlan {
  const label = options.label ?? "config";
  const root = parseConfig(text, label);
  const entries = serverEntries(root, options.client);
  const edits: Edit[] = [];
  const servers: ServerReport[] = [];
  const notRestored: UnwrapPlan["notRestored"] = [];
  const removedApiKeys: string[] = [];
  const removedSecrets: string[] = [];
  const self = options.thothCommand ?? [];
  for (const entry of entries) {
    const report: ServerReport = {
      name: entry.name,
      action: "unchanged",
      reasons: [],
      warnings: [],
    };
    if (entry.project !== undefined) report.project = entry.project;
    servers.push(report);
    const leftAlone = (reason: string, code: string) => {
      report.action = "skipped";
      report.reasons.push(reason);
      report.problem = notRestoredProblem(code, reason);
      notRestored.push({
        name: entry.name,
        ...(entry.project === undefined ? {} : { project: entry.project }),
        reason,
      });
    };
    const kind = classifyEntry(entry.node);
    if (kind.kind === "unwrappable") {
      if (namesThothBinary(kind.command) || kind.command === self[0]) {
        leftAlone(`${kind.reason}; it names thoth: restore it by hand`, "config.unwrappable_entry");
        continue;
      }
      report.action = "skipped";
      report.reasons.push(`${kind.reason}; not wrapped`);
      continue;
    }
    if (kind.kind !== "stdio") {
      report.action = "skipped";
      report.reasons.push(kind.reason);
      // As wrap-config says it: a remote server is left alone by design, an entry with no
      // command cannot be started by the client either.
      report.problem = kind.kind === "remote"
        ? remoteProblem(kind.reason)
        : invalidEntryProblem(kind.reason);
      continue;
    }
    try {
      const result = unwrapEntry(text, kind, self);
      if (result === undefined) {
        report.reasons.push("not wrapped");
      } else {
        report.action = "unwrapped";
        report.reasons.push("restored the original command, args and env");
        if (result.apiKeys.length > 0) {
          const where = options.apiKeyFile === undefined
            ? ""
            : ` (it saves it to "${options.apiKeyFile}")`;
          const runAs = options.apiKeyRunAs === undefined ? "" : ` run as ${options.apiKeyRunAs}`;
          report.reasons.push(
            "removed --api-key with the thoth args; the key was not saved anywhere: save it " +
              `with "thoth set-api-key --api-key -"${runAs}${where}`,
          );
          removedApiKeys.push(entry.name);
          removedSecrets.push(...result.apiKeys);
        }
        edits.push(...result.edits);
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      leftAlone(error.message, error.code);
    }
  }
  const newText = applyEdits(text, edits);
  checkPlannedText(newText, label, "unwrap-config");
  return {
    text: newText,
    changed: newText !== text,
    servers,
    warnings: [],
    notRestored,
    removedApiKeys,
    removedSecrets,
  };
}

/** The edits that restore one entry, and the `--api-key` values its thoth args held. */
function unwrapEntry(
  text: string,
  entry: StdioEntry,
  self: readonly string[],
): { edits: Edit[]; apiKeys: string[] } | undefined {
  const argNodes = entry.args?.children ?? [];
  const envProps = entry.env?.children ?? [];
  const recordIndex = envProps.findIndex((property) => keyOf(property) === WRAP_RECORD_KEY);
  const found = readThothInvocation(
    entry.command.value as string,
    argNodes.map((node) => node.value as string),
    self,
    invocationContext(entry.env),
  );
  if (found === undefined) return undefined;
  if (found.kind === "not_understood") {
    throw new AppError("config.malformed_entry", `${describeNotUnderstood(found)}; fix it by hand`);
  }
  const edits: Edit[] = [];
  const upstreamIndex = found.dashIndex + 1;
  const upstream = argNodes[upstreamIndex]!;
  edits.push(span(entry.command.offset, nodeEnd(entry.command), textOf(text, upstream)));

  const record = recordIndex < 0
    ? emptyWrapRecord()
    : parseWrapRecord(envProps[recordIndex]!.children![1]!.value as string);

  const dropFromEntry = new Set<number>();
  const entryProps = entry.entry.children ?? [];
  const upstreamIsLast = upstreamIndex === argNodes.length - 1;
  if (upstreamIsLast && record.createdArgs) {
    dropFromEntry.add(entryProps.indexOf(entry.args!.parent!));
  } else if (upstreamIsLast) {
    edits.push(span(argNodes[0]!.offset, nodeEnd(upstream)));
  } else {
    edits.push(span(argNodes[0]!.offset, argNodes[upstreamIndex + 1]!.offset));
  }

  if (entry.env !== undefined) {
    const dropFromEnv = new Set<number>();
    envProps.forEach((property, index) => {
      const key = keyOf(property);
      if (key === WRAP_RECORD_KEY || (key !== undefined && record.added.includes(key))) {
        dropFromEnv.add(index);
      } else if (key !== undefined && replacedValue(record, key) !== undefined) {
        const value = property.children![1]!;
        edits.push(span(value.offset, nodeEnd(value), replacedValue(record, key)));
      }
    });
    if (record.createdEnv && dropFromEnv.size === envProps.length) {
      dropFromEntry.add(entryProps.indexOf(entry.env.parent!));
    } else {
      edits.push(...removeChildren(entry.env, dropFromEnv));
    }
  }
  edits.push(...removeChildren(entry.entry, dropFromEntry));
  const apiKeys = found.flags.filter(([flag]) => flag === "--api-key").map(([, value]) => value);
  return { edits, apiKeys };
}

function keyOf(property: Node): string | undefined {
  const key = property.children?.[0]?.value;
  return typeof key === "string" ? key : undefined;
}

function textOf(text: string, node: Node): string {
  return text.slice(node.offset, nodeEnd(node));
}
