/**
 * The edits that put one stdio server behind thoth, or bring an already
 * wrapped one up to date. Pure; used by {@linkcode planWrap}.
 *
 * The edits are built so that `unwrap-config` can take back exactly the text
 * they added: the thoth arguments are inserted before the first original
 * argument with the array's own separator, the original command's JSON text is
 * moved verbatim to just after `--`, and new env keys go before the first
 * existing one with the object's own separator (before, not after, so that a
 * comment at the end of the last line stays with its line). A missing `args`
 * or `env` is created just after `command` (or `args`) and recorded. A value is
 * replaced by its own span, found in the one parse tree the plan reads, never
 * by re-reading the text: a big config costs one parse, not one per edit.
 *
 * When the thoth path written is not named like a thoth binary (see
 * {@linkcode namesThothBinary}), the entry always gets the `THOTH_WRAP`
 * record, naming that path (`v1;thoth=/opt/acme/governor`): it is what lets
 * a thoth started under another name recognise the entry as wrapped. A
 * record added or brought up to date for that alone is reported so.
 *
 * A wrapped entry without `--agent-id` keeps the id `thoth run` derives
 * from its upstream command (`npx -y @modelcontextprotocol/server-gdrive` →
 * `server-gdrive`): a rewrite writes it out as `--agent-id`, since policy
 * rules, intents and audit records already name the server by it.
 *
 * A server that would run with no session intent (no `--intent` given or
 * kept, none in the intent map under its agent id) while the intent map has
 * an entry under its name, or under the plain id its name gives, that its
 * agent id does not reach (`git` in a second Claude Code project runs as
 * `git-web`, see `AgentIds`), gets that intent written as `--intent`, and the
 * report says so: running without the intent the map gives its name would
 * widen what it may do (see {@linkcode intentUnderName}). The entry's
 * `THOTH_WRAP` record notes that intent (`intent=…`), so that the next
 * wrap-config takes it from the map again ("intent X → Y", or removed when
 * the map no longer gives the name one, or gives the agent id its own
 * entry); an intent the admin gave (`--intent`, `--intent-map`, or an
 * `--intent` without that note, as earlier releases wrote) is never replaced
 * by the map.
 *
 * `THOTH_ENFORCER_URL` (deprecated and ignored) is never written from
 * `--env`; one an earlier `--env` added is removed, and an original one it
 * replaced is given back (see `deprecated_env.ts`).
 *
 * An entry whose command names thoth but that is not `thoth run [flags] --
 * <command>`, or that keeps a numeric flag value `thoth run` would refuse, or
 * a flag with no value or `-h`, is skipped with the reason: thoth cannot tell
 * what it was meant to be.
 *
 * @example
 * ```ts
 * import { parseTree } from "jsonc-parser";
 * import { classifyEntry } from "./classify_entry.ts";
 * const text = '{"command": "npx", "args": ["-y", "pkg"]}';
 * const stdio = classifyEntry(parseTree(text)!);
 * if (stdio.kind === "stdio") {
 *   const result = wrapEntry(text, stdio, "fs", { thothCommand: ["/opt/thoth/bin/thoth"] });
 *   result.action; // "wrapped"
 * }
 * ```
 */
import { hidden, looksLikeKey, showName } from "../identity/shown_env_value.ts";
import { agentIdFor } from "./agent_id_for.ts";
import { flaggedAsKey } from "../identity/id_flagged_as_key.ts";
import type { Edit } from "jsonc-parser";
import type { StdioEntry } from "./classify_entry.ts";
import {
  describeFlagProblem,
  describeNotUnderstood,
  flagProblemText,
  readThothInvocation,
} from "./thoth_invocation.ts";
import { refusedRunNumbers } from "./run_flag_numbers.ts";
import {
  emptyWrapRecord,
  formatWrapRecord,
  parseWrapRecord,
  WRAP_RECORD_KEY,
} from "./wrap_record.ts";
import {
  childSeparator,
  nodeEnd,
  prependChildren,
  renderContainerProperty,
  span,
} from "./_json_layout.ts";
import { isAppError } from "../errors.ts";
import { type ServerProblem, skippedEntryProblem } from "./server_problem.ts";
import type { EntryWrapOptions } from "./entry_wrap_options.ts";
import { envProperties } from "./env_properties.ts";
import { invocationContext } from "./invocation_context.ts";
import { STRAY_WRAP_RECORD } from "./stray_wrap_record.ts";
import { launchDrift } from "./launch_drift.ts";
import { agentIdOf } from "./wrapped_agent_id.ts";
import { chooseEntryIntent, show } from "./choose_entry_intent.ts";
import { replaceValue, wrapEnvEdits } from "./wrap_env_edits.ts";

// What reads or wraps an entry lives in the modules named for it; code that imports them from
// here keeps working.
export type { EntryWrapOptions } from "./entry_wrap_options.ts";
export { envProperties, type EnvProperty } from "./env_properties.ts";
export { invocationContext } from "./invocation_context.ts";
export { hasWrapRecordKey, STRAY_WRAP_RECORD } from "./stray_wrap_record.ts";
export { launchDrift } from "./launch_drift.ts";
export {
  intentUnderName,
  intentUnderNameNow,
  type NameIntent,
  type NameIntentNow,
} from "./intent_under_name.ts";
export { wrappedAgentId } from "./wrapped_agent_id.ts";

/** What wrapping one entry does. */
export interface EntryWrapResult {
  action: "wrapped" | "updated" | "unchanged" | "skipped";
  /** Why: what changed, or why nothing did. */
  reasons: string[];
  edits: Edit[];
  /** The upstream command, for the PATH check. */
  upstreamCommand?: string;
  /** Whether an `--api-key` was taken out of the args: the original text held a secret. */
  removedApiKey?: boolean;
  /** The values of the `--api-key` flags taken out: a backup must keep them (see `writeConfig`). */
  removedApiKeyValues?: string[];
  /** Why a skipped entry was skipped, as data (`--json`). */
  problem?: ServerProblem;
}

/** Flags of `thoth run` that wrap-config does not select but keeps as they are. */
const KEPT_FLAGS = new Set([
  "--policy",
  "--max-line-bytes",
  "--shutdown-grace-ms",
  "--audit-sync",
  "--approval-timeout",
]);

/** Builds the edits for one entry. */
export function wrapEntry(
  text: string,
  entry: StdioEntry,
  name: string,
  options: EntryWrapOptions,
): EntryWrapResult {
  const [thothPath, ...launchArgs] = options.thothCommand;
  if (thothPath === undefined) throw new Error("thothCommand is empty");
  const argNodes = entry.args?.children ?? [];
  const argValues = argNodes.map((node) => node.value as string);
  const envProps = envProperties(entry.env);
  const recordProp = envProps.get(WRAP_RECORD_KEY);
  const found = readThothInvocation(
    entry.command.value as string,
    argValues,
    options.thothCommand,
    invocationContext(entry.env),
  );
  if (found?.kind === "not_understood") {
    return {
      action: "skipped",
      reasons: [`${describeNotUnderstood(found)}; fix it by hand`],
      edits: [],
      problem: skippedEntryProblem("config.malformed_entry", describeNotUnderstood(found)),
    };
  }
  const [refused] = found === undefined
    ? []
    : [...found.flagProblems.map(describeFlagProblem), ...refusedRunNumbers(found.flags)];
  if (refused !== undefined) {
    const flag = found?.flagProblems[0];
    return {
      action: "skipped",
      reasons: [`${refused}; fix it by hand`],
      edits: [],
      problem: skippedEntryProblem(
        "config.run_flag_refused",
        refused,
        flag === undefined ? undefined : flagProblemText(flag).fix,
      ),
    };
  }
  if (found === undefined && recordProp !== undefined) {
    return {
      action: "skipped",
      reasons: [`not wrapped but ${STRAY_WRAP_RECORD}`],
      edits: [],
      problem: skippedEntryProblem(
        "config.stray_wrap_record",
        `not wrapped but has a ${WRAP_RECORD_KEY} env key`,
        `remove the ${WRAP_RECORD_KEY} key from its "env" by hand`,
      ),
    };
  }
  let record = emptyWrapRecord();
  if (recordProp !== undefined) {
    try {
      record = parseWrapRecord(recordProp.value.value as string);
    } catch (error) {
      if (isAppError(error)) {
        return {
          action: "skipped",
          reasons: [error.message],
          edits: [],
          problem: skippedEntryProblem("config.bad_wrap_record", error.message, error.hints[0]),
        };
      }
      throw error;
    }
  }
  const recordBefore = recordProp === undefined ? undefined : formatWrapRecord(record);

  const current = new Map<string, string>();
  for (const [flag, value] of found?.flags ?? []) current.set(flag, value);
  const reasons: string[] = [];
  // A name thoth run would refuse as an agent id ("notes-café") gets the nearest valid one;
  // a wrapped entry without --agent-id keeps the one thoth run derives.
  const scope = {
    upstream: [entry.command.value as string, ...argValues],
    ...(options.project === undefined ? {} : { project: options.project }),
  };
  // A wrapped entry keeps its agent id, unless thoth run refuses it as a key: wrap-config
  // writes none.
  const wrappedId = found === undefined ? undefined : agentIdOf(found);
  const keyId = wrappedId !== undefined && flaggedAsKey(wrappedId) ? wrappedId : undefined;
  const agentId = (keyId === undefined ? wrappedId : undefined) ??
    (options.agentIds === undefined
      ? agentIdFor(name, undefined, flaggedAsKey)
      : options.agentIds.for(name, scope));
  const apart = found === undefined || keyId !== undefined
    ? options.agentIds?.whyNotPlain(name, scope)
    : undefined;
  if (keyId !== undefined) {
    reasons.push(
      `agent id "${agentId}" in place of ${hidden(keyId)}, which is a key or token ` +
        "(thoth run refuses it)" + (apart === undefined ? "" : `; ${apart}`),
    );
  } else if (apart !== undefined) {
    reasons.push(`agent id "${agentId}" (${apart})`);
  } else if (found === undefined && agentId !== name) {
    const shown = flaggedAsKey(name) ? hidden(name) : `"${name}"`;
    reasons.push(`agent id "${agentId}" (thoth run takes no ${shown})`);
  }
  const tenant = options.tenantId ?? current.get("--tenant-id");
  const mode = options.enforcementMode ?? current.get("--enforcement-mode") ?? "block";
  const { intent, intentWhy } = chooseEntryIntent(
    options,
    {
      wrapped: found !== undefined,
      env: entry.env,
      name,
      agentId,
      currentIntent: current.get("--intent"),
    },
    record,
    reasons,
  );
  const prefix = [...launchArgs, "run", "--agent-id", agentId];
  if (tenant !== undefined) prefix.push("--tenant-id", tenant);
  prefix.push("--enforcement-mode", mode);
  if (intent !== undefined) prefix.push("--intent", intent);
  for (const [flag, value] of found?.flags ?? []) {
    if (KEPT_FLAGS.has(flag)) prefix.push(flag, value);
  }
  prefix.push("--");

  const edits: Edit[] = [];
  const removedApiKey = found?.flags.some(([flag]) => flag === "--api-key") === true;
  if (found !== undefined) {
    const before = (key: string) => current.get(key);
    const change = (what: string, from: string | undefined, to: string | undefined) => {
      if (from !== to) reasons.push(`${what} ${show(from)} → ${show(to)}`);
    };
    const oldLaunch = found.thothCommand;
    const launch = launchDrift(oldLaunch);
    if (oldLaunch[0] !== thothPath) change("thoth path", oldLaunch[0], thothPath);
    else if (oldLaunch.join("\0") !== options.thothCommand.join("\0")) {
      reasons.push(`thoth launch arguments changed${launch === undefined ? "" : ` (${launch})`}`);
    }
    change("tenant", before("--tenant-id"), tenant);
    change("enforcement mode", before("--enforcement-mode"), mode);
    if (before("--intent") !== intent) {
      reasons.push(`intent ${show(before("--intent"))} → ${show(intent)}${intentWhy}`);
    }
    if (removedApiKey) {
      const where = options.apiKeyFile === undefined
        ? ""
        : ` (it saves it to "${options.apiKeyFile}")`;
      const runAs = options.apiKeyRunAs === undefined ? "" : ` run as ${options.apiKeyRunAs}`;
      reasons.push(
        "removed --api-key from args; the key was not saved anywhere: save it with " +
          `"thoth set-api-key --api-key -"${runAs}${where}`,
      );
    }
    if (found.unknownFlags.length > 0) {
      const dropped = found.unknownFlags.map((flag) => looksLikeKey(flag) ? showName(flag) : flag);
      reasons.push(`older flag set: dropped ${dropped.join(", ")}`);
    }
    const duplicate = found.flags.length !== current.size;
    if (duplicate && reasons.length === 0) reasons.push("repeated flags collapsed");
    if (reasons.length > 0) {
      if (!current.has("--agent-id")) {
        reasons.push(`agent id "${agentId}" written out (thoth run derived it from the command)`);
      }
      if (oldLaunch[0] !== thothPath) edits.push(replaceValue(entry.command, thothPath));
      const sep = childSeparator(text, entry.args!);
      edits.push(
        span(
          argNodes[0]!.offset,
          nodeEnd(argNodes[found.dashIndex]!),
          prefix.map((arg) => JSON.stringify(arg)).join(sep),
        ),
      );
    }
  } else {
    const withIntent = intent === undefined ? "" : `, intent ${show(intent)}`;
    reasons.push(`now runs through thoth (enforcement mode ${mode}${withIntent})`);
    const moved = text.slice(entry.command.offset, nodeEnd(entry.command));
    const items = [...prefix.map((arg) => JSON.stringify(arg)), moved];
    edits.push(replaceValue(entry.command, thothPath));
    if (entry.args !== undefined) {
      edits.push(...prependChildren(text, entry.args, items));
    } else {
      record.createdArgs = true;
      const property = entry.command.parent!;
      edits.push({
        offset: nodeEnd(property),
        length: 0,
        content: childSeparator(text, entry.entry) +
          renderContainerProperty(text, entry.entry, "args", "[", items),
      });
    }
  }

  edits.push(...wrapEnvEdits({
    text,
    entry,
    options,
    thothPath,
    envProps,
    recordProp,
    record,
    recordBefore,
    wrapped: found !== undefined,
    reasons,
  }));

  const upstreamCommand = found?.upstream[0] ?? (entry.command.value as string);
  if (found === undefined) return { action: "wrapped", reasons, edits, upstreamCommand };
  if (edits.length === 0) {
    return { action: "unchanged", reasons: ["already governed"], edits, upstreamCommand };
  }
  return {
    action: "updated",
    reasons,
    edits,
    upstreamCommand,
    ...(removedApiKey
      ? {
        removedApiKey,
        removedApiKeyValues: found.flags.filter(([flag]) => flag === "--api-key").map((
          [, value],
        ) => value),
      }
      : {}),
  };
}
