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
import {
  launchFlagCancels,
  launchFlagsOff,
  SOURCE_LAUNCH_FLAGS,
  sourceLaunchWords,
} from "../platform/source_launch_flags.ts";
import { hidden, looksLikeKey, showName } from "../identity/shown_env_value.ts";
import { agentIdFor, type AgentIds } from "./agent_id_for.ts";
import { flaggedAsKey } from "../identity/id_flagged_as_key.ts";
import type { Edit, Node } from "jsonc-parser";
import type { StdioEntry } from "./classify_entry.ts";
import {
  describeFlagProblem,
  describeNotUnderstood,
  flagProblemText,
  type InvocationContext,
  namesThothBinary,
  readThothInvocation,
  type ThothInvocation,
} from "./thoth_invocation.ts";
import { deriveAgentId } from "../proxy/derive_agent_id.ts";
import { refusedRunNumbers } from "./run_flag_numbers.ts";
import {
  emptyWrapRecord,
  formatWrapRecord,
  isEmptyWrapRecord,
  parseWrapRecord,
  replacedValue,
  setReplaced,
  WRAP_RECORD_KEY,
  type WrapRecord,
} from "./wrap_record.ts";
import {
  childSeparator,
  nodeEnd,
  prependChildren,
  removeChildren,
  renderContainerProperty,
  span,
} from "./_json_layout.ts";
import { DEPRECATED_ENV, deprecatedEnvGivenBack, deprecatedEnvRemoved } from "./deprecated_env.ts";
import type { EnforcementMode } from "../policy/enforcement_mode.ts";
import { isAppError } from "../errors.ts";
import { type ServerProblem, skippedEntryProblem } from "./server_problem.ts";
import { type MappedIntent, type RunEntry, type RunReaders, runRefusals } from "./run_refusals.ts";

/** The selected values for one entry. */
export interface EntryWrapOptions {
  /** How thoth is started: `[absolute path]` or `[deno, run, …, script]`. */
  thothCommand: readonly string[];
  tenantId?: string;
  enforcementMode?: EnforcementMode;
  intent?: string;
  env?: readonly (readonly [string, string])[];
  /** The config's agent ids: a server without one gets its id from here (see `AgentIds`). */
  agentIds?: AgentIds;
  /** Where `thoth set-api-key` saves a key here, named when an `--api-key` is taken out of args. */
  apiKeyFile?: string;
  /** Who must run `thoth set-api-key` for the key to reach that file, when not this user. */
  apiKeyRunAs?: string;
  /** The Claude Code project the entry belongs to, to tell servers of one name apart. */
  project?: string;
  /**
   * `thoth run`'s readers (only `mappedIntent` and `os` are used): with them,
   * a server left with no intent whose name has an entry in the intent map
   * its agent id does not reach gets that entry's intent as `--intent` (see
   * {@linkcode intentUnderName}).
   */
  run?: RunReaders;
}

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

/**
 * Why wrap-config will not wrap an entry that runs without thoth yet has a
 * `THOTH_WRAP` key in its `env`, and the fix: said by wrap-config (after "not
 * wrapped but ") and by `thoth status` alike.
 */
export const STRAY_WRAP_RECORD = `has a ${WRAP_RECORD_KEY} env key; remove it by hand first`;

/** Whether an entry's `env` has a `THOTH_WRAP` key, whatever its value. */
export function hasWrapRecordKey(env: Node | undefined): boolean {
  return envProperties(env).has(WRAP_RECORD_KEY);
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
  const currentIntent = current.get("--intent");
  const recordedIntent = record.intent;
  // The --intent an earlier wrap-config took from the map under the name: taken from it again.
  const fromMap = found !== undefined && recordedIntent !== undefined &&
    recordedIntent === currentIntent;
  let intent: string | undefined;
  let intentWhy = "";
  delete record.intent;
  if (options.intent !== undefined) {
    intent = options.intent;
  } else if (currentIntent !== undefined && !(fromMap && options.run !== undefined)) {
    intent = currentIntent;
    if (fromMap) record.intent = currentIntent;
  } else if (options.run !== undefined) {
    const now = intentUnderNameNow(
      plannedRunEntry(entry.env, options.env),
      name,
      agentId,
      options.run,
      (key) => (options.agentIds?.namesWith(key) ?? []).some((other) => other !== name),
    );
    if (now.kind === "named") {
      intent = now.named.intent;
      record.intent = intent;
      const file = now.named.file;
      if (!fromMap) reasons.push(intentFromNameReason(now.named, agentId));
      else intentWhy = ` (the intent map "${file}" now gives ${key(now.named)} that intent)`;
    } else if (now.kind === "unknown" && fromMap) {
      // A map thoth run cannot read: the intent stays as it is.
      intent = currentIntent;
      record.intent = currentIntent;
    } else if (fromMap) {
      intentWhy = now.kind === "own"
        ? ` (the intent map "${now.file}" now gives ${JSON.stringify(agentId)} its own entry, ` +
          "which thoth run reads)"
        : " (the intent map no longer gives this server's name an intent)";
    }
  }
  if (
    found !== undefined && recordedIntent !== undefined && record.intent === undefined &&
    intent === currentIntent
  ) {
    reasons.push(
      options.intent !== undefined
        ? `intent ${show(intent)} is now the one given (--intent, --intent-map), no longer ` +
          "taken from the intent map"
        : `intent ${show(intent)} was changed by hand: no longer taken from the intent map`,
    );
  }
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

  const newItems: string[] = [];
  edits.push(...dropDeprecatedEnv(entry.env, envProps, record, reasons));
  for (const [key, value] of options.env ?? []) {
    // Deprecated and ignored: never written (planWrap says so).
    if (key === DEPRECATED_ENV) continue;
    const existing = envProps.get(key);
    if (existing === undefined) {
      if (newItems.some((item) => item.startsWith(`${JSON.stringify(key)}:`))) continue;
      newItems.push(`${JSON.stringify(key)}: ${JSON.stringify(value)}`);
      record.added.push(key);
      reasons.push(`env ${key} added`);
    } else if (existing.value.value !== value) {
      if (!record.added.includes(key) && replacedValue(record, key) === undefined) {
        setReplaced(record, key, text.slice(existing.value.offset, nodeEnd(existing.value)));
      }
      edits.push(replaceValue(existing.value, value));
      reasons.push(`env ${key} changed`);
    }
  }
  // Only a record naming it tells another thoth that a thoth not named so is thoth.
  if (options.thothCommand.length === 1 && !namesThothBinary(thothPath)) {
    record.thoth = thothPath;
  } else {
    delete record.thoth;
  }
  if (entry.env === undefined && (newItems.length > 0 || !isEmptyWrapRecord(record))) {
    record.createdEnv = true;
  }
  if (!isEmptyWrapRecord(record) || recordProp !== undefined) {
    const recordText = formatWrapRecord(record);
    if (recordProp === undefined) {
      newItems.push(`${JSON.stringify(WRAP_RECORD_KEY)}: ${JSON.stringify(recordText)}`);
    } else if (recordText !== recordBefore) {
      edits.push(replaceValue(recordProp.value, recordText));
    }
    // Nothing else changed: say why the entry is rewritten at all.
    if (found !== undefined && reasons.length === 0 && recordText !== recordBefore) {
      reasons.push(
        recordProp === undefined
          ? `added the ${WRAP_RECORD_KEY} record so any thoth recognises this entry`
          : `brought the ${WRAP_RECORD_KEY} record up to date so any thoth recognises this entry`,
      );
    }
  }
  if (newItems.length > 0) {
    if (entry.env !== undefined) {
      edits.push(...prependChildren(text, entry.env, newItems));
    } else {
      const anchor = (entry.args ?? entry.command).parent!;
      edits.push({
        offset: nodeEnd(anchor),
        length: 0,
        content: childSeparator(text, entry.entry) +
          renderContainerProperty(text, entry.entry, "env", "{", newItems),
      });
    }
  }

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

/** The intent-map entry a server gets under its name rather than its agent id. */
export interface NameIntent {
  /** The key of the map: the server's name, or the plain id its name gives. */
  key: string;
  /** The intent the map gives that key. */
  intent: string;
  /** The intent map file. */
  file: string;
}

/**
 * The entry of the intent map that `thoth run` would read for `entry` (its
 * `THOTH_HOME`, as `mappedIntent` finds it) that a server named `name` would
 * run without: when its agent id `agentId` has no entry there (not a refused
 * one: that refusal is reported as it is), the entry under the server's name
 * itself, else under the plain id its name gives (`agentIdFor(name)`: the id
 * a server of that name elsewhere in the config has). A key that is another
 * server's agent id (`heldByOther`: a server of another name has it) is that
 * server's, and not taken. Exact keys only: a key `fs` is never taken for a
 * server named `fs-prod`. Undefined when there is none, or without
 * `mappedIntent`.
 *
 * @example
 * ```ts
 * // intent_map.json: {"git": "calendar_management"}; "git" in a second project runs as "git-web"
 * intentUnderName(entry, "git", "git-web", readers, () => false);
 * // { key: "git", intent: "calendar_management", file: ".../intent_map.json" }
 * ```
 */
export function intentUnderName(
  entry: RunEntry,
  name: string,
  agentId: string,
  readers: RunReaders,
  heldByOther: (key: string) => boolean,
): NameIntent | undefined {
  const now = intentUnderNameNow(entry, name, agentId, readers, heldByOther);
  return now.kind === "named" ? now.named : undefined;
}

/**
 * What the intent map gives a server's name now (see
 * {@linkcode intentUnderName}): `named`, the entry under its name; `own`,
 * an entry under its agent id itself (thoth run reads that one); `none`; or
 * `unknown` when thoth cannot tell (a map thoth run refuses, or no
 * `mappedIntent` reader).
 *
 * @example
 * ```ts
 * // intent_map.json: {"git": "code_review"}; "git" in a second project runs as "git-web"
 * intentUnderNameNow(entry, "git", "git-web", readers, () => false);
 * // { kind: "named", named: { key: "git", intent: "code_review", file: ".../intent_map.json" } }
 * ```
 */
export function intentUnderNameNow(
  entry: RunEntry,
  name: string,
  agentId: string,
  readers: RunReaders,
  heldByOther: (key: string) => boolean,
): NameIntentNow {
  const { mappedIntent } = readers;
  if (mappedIntent === undefined) return { kind: "unknown" };
  // runRefusals finds the entry's THOTH_HOME as thoth run does; only its map lookup is used.
  let seen: MappedIntent = { kind: "none" };
  const probe: RunReaders = {
    flagNames: [],
    readFlag: () => undefined,
    repeatedFlag: () => undefined,
    mappedIntent: (home, key) => (seen = mappedIntent(home, key)),
    ...(readers.os === undefined ? {} : { os: readers.os }),
  };
  const under = (key: string): MappedIntent => {
    seen = { kind: "none" };
    runRefusals(
      { flags: [["--agent-id", key]], flagArgs: [], unknownFlags: [], env: entry.env },
      probe,
    );
    return seen;
  };
  const own = under(agentId);
  if (own.kind === "refused") return { kind: "unknown" };
  if (own.kind === "mapped") return { kind: "own", file: own.file };
  let doubt = false;
  for (const key of new Set([name, agentIdFor(name, undefined, flaggedAsKey)])) {
    if (key === agentId || heldByOther(key)) continue;
    const found = under(key);
    doubt ||= found.kind === "refused";
    // Exact keys only: intentEntryFor maps a key to itself, and refuses a near one.
    if (found.kind === "mapped" && found.key === key) {
      return { kind: "named", named: { key, intent: found.intent, file: found.file } };
    }
  }
  return doubt ? { kind: "unknown" } : { kind: "none" };
}

/** What {@linkcode intentUnderNameNow} finds. */
export type NameIntentNow =
  | { kind: "named"; named: NameIntent }
  | { kind: "own"; file: string }
  | { kind: "none" }
  | { kind: "unknown" };

/** The entry as the checks read it once written: its `env`, with the `--env` pairs set. */
function plannedRunEntry(
  env: Node | undefined,
  pairs: readonly (readonly [string, string])[] | undefined,
): RunEntry {
  const values: [string, string][] = [];
  // Every pair, as runEntryOf reads them: a repeated key counts as the client reads it (the last).
  for (const property of env?.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value === "string" && typeof value?.value === "string") {
      values.push([key.value, value.value]);
    }
  }
  // Own properties even for a key named "__proto__" (fromEntries defines, never assigns).
  return {
    flags: [],
    flagArgs: [],
    unknownFlags: [],
    env: Object.fromEntries([...values, ...(pairs ?? [])]),
  };
}

/** The key of an intent map entry, quoted. */
function key(named: NameIntent): string {
  return JSON.stringify(named.key);
}

/** Why wrap-config wrote `--intent` from the intent map entry under the server's name. */
function intentFromNameReason(named: NameIntent, agentId: string): string {
  return `intent ${JSON.stringify(named.intent)} written as --intent: the intent map ` +
    `"${named.file}" gives ${JSON.stringify(named.key)} that intent, but this server runs as ` +
    `"${agentId}", which it does not name`;
}

/**
 * The edits that undo what an earlier `--env THOTH_ENFORCER_URL` did to an
 * entry's `env` (see `deprecated_env.ts`): a key it added is removed, an
 * original value it replaced is given back (the entry's own, which stays),
 * each taken out of `record` and said in `reasons`. Nothing for a key the
 * entry has of its own: that is the user's to remove.
 */
function dropDeprecatedEnv(
  env: Node | undefined,
  envProps: ReadonlyMap<string, EnvProperty>,
  record: WrapRecord,
  reasons: string[],
): Edit[] {
  const found = envProps.get(DEPRECATED_ENV);
  if (env === undefined || found === undefined) return [];
  if (record.added.includes(DEPRECATED_ENV)) {
    record.added = record.added.filter((key) => key !== DEPRECATED_ENV);
    reasons.push(deprecatedEnvRemoved());
    // The first of a repeated key: the one --env put before the entry's own keys.
    return removeChildren(env, new Set([env.children!.indexOf(found.property)]));
  }
  const original = replacedValue(record, DEPRECATED_ENV);
  if (original === undefined) return [];
  delete record.replaced[DEPRECATED_ENV];
  reasons.push(deprecatedEnvGivenBack());
  return [span(found.value.offset, nodeEnd(found.value), original)];
}

function replaceValue(node: Node, value: string): Edit {
  return span(node.offset, nodeEnd(node), JSON.stringify(value));
}

function show(value: string | undefined): string {
  return value === undefined ? "none" : JSON.stringify(value);
}

/** One `env` property: its node and its value node. */
export interface EnvProperty {
  property: Node;
  value: Node;
}

/** The properties of an `env` object by key (the first of a repeated key). */
export function envProperties(env: Node | undefined): Map<string, EnvProperty> {
  const map = new Map<string, EnvProperty>();
  for (const property of env?.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value === "string" && value !== undefined && !map.has(key.value)) {
      map.set(key.value, { property, value });
    }
  }
  return map;
}

/**
 * The agent id a wrapped entry has (the `--agent-id` of its `thoth run`, or
 * without one the id thoth run derives from the upstream command); undefined
 * when it is not wrapped, null when it names thoth in a shape not understood
 * (a wrap leaves it alone).
 */
export function wrappedAgentId(
  entry: StdioEntry,
  thothCommand: readonly string[],
): string | null | undefined {
  const args = (entry.args?.children ?? []).map((node) => node.value as string);
  const found = readThothInvocation(
    entry.command.value as string,
    args,
    thothCommand,
    invocationContext(entry.env),
  );
  if (found?.kind === "not_understood") return null;
  return found === undefined ? undefined : agentIdOf(found);
}

/**
 * The agent id `thoth run` uses for a wrapped entry: its `--agent-id` (the
 * last, as thoth run reads a repeated one), else the id derived from its
 * upstream command.
 */
function agentIdOf(found: ThothInvocation): string {
  return found.flags.findLast(([flag]) => flag === "--agent-id")?.[1] ??
    deriveAgentId(found.upstream[0]!, found.upstream.slice(1));
}

/**
 * The words `selfCommandFor` (`src/cli/cli_io.ts`) writes between the deno
 * binary and thoth's script: `--config=` stands for `--config=<deno.json>`.
 */
const SOURCE_LAUNCH_WORDS: readonly string[] = sourceLaunchWords("");

/** The word of {@linkcode SOURCE_LAUNCH_WORDS} `word` is, or undefined. */
function launchWordOf(word: string): string | undefined {
  if (word.startsWith("--config=") && word.length > "--config=".length) return "--config=";
  return SOURCE_LAUNCH_WORDS.includes(word) && word !== "--config=" ? word : undefined;
}

/**
 * What differs between how a wrapped entry starts thoth (its command and the
 * arguments before `run`, `ThothInvocation.thothCommand`) and the line
 * `wrap-config` writes for thoth from source, in the words `thoth status`
 * shows as drift, or undefined. Only a start from source (`deno run …
 * thoth.ts`) is read; a compiled binary has no launch words.
 *
 * - A flag of {@linkcode SOURCE_LAUNCH_FLAGS}, or another word the line has,
 *   that the entry lacks: "older flag set: deno runs thoth without …".
 *   Without `--no-remote` deno fetches modules from the network even for the
 *   sandboxed proxy core's dynamic `import()`; without `--cached-only` and
 *   `--frozen-lockfile` it fetches an `npm:` package from the registry and
 *   writes it into deno.lock.
 * - A word the line does not have (`-A` for `-P=thoth`, an `--allow-*`,
 *   `--frozen=false`, `--no-lock`): "deno runs thoth with words wrap-config
 *   does not write: …", naming each flag such a word turns off (read as deno
 *   reads it, see `launchFlagInEffect`): `--frozen-lockfile
 *   --frozen=false` is not frozen.
 * - The same words in another order, or repeated: said so.
 *
 * `wrap-config` rewrites every such entry ("thoth launch arguments
 * changed"), so `thoth status` and `wrap-config` agree on which entries are
 * out of date. Paths (deno's, the script's, `--config=`'s) are not compared:
 * they are where this machine keeps them.
 *
 * @example
 * ```ts
 * const line = selfCommandFor("/usr/bin/deno", "file:///src/thoth/src/cli/thoth.ts", "/src/thoth/deno.json");
 * launchDrift(line); // undefined
 * launchDrift(line.filter((word) => word !== "--cached-only"));
 * // "older flag set: deno runs thoth without --cached-only"
 * launchDrift([...line.slice(0, -1), "--frozen=false", line.at(-1)!]);
 * // "deno runs thoth with words wrap-config does not write: --frozen=false (so thoth cannot count on --frozen-lockfile)"
 * launchDrift(["/opt/thoth/bin/thoth"]); // undefined
 * ```
 */
export function launchDrift(thothCommand: readonly string[]): string | undefined {
  const base = (thothCommand[0]?.split(/[\\/]/).pop() ?? "").toLowerCase();
  if (base !== "deno" && base !== "deno.exe") return undefined;
  const given = thothCommand.slice(1, -1);
  const off = new Set(launchFlagsOff(given));
  const present = given.map(launchWordOf);
  const extra = given.filter((_, k) => present[k] === undefined);
  // A flag some extra word turns off is said with that word, not as missing.
  const cancelled = SOURCE_LAUNCH_FLAGS.filter((flag) =>
    off.has(flag) && launchFlagCancels(given, flag).length > 0
  );
  const missing = SOURCE_LAUNCH_WORDS.filter((word) =>
    !cancelled.includes(word) && (off.has(word) || !present.includes(word))
  ).map((word) => word === "--config=" ? "--config=<deno.json>" : word);
  const parts: string[] = [];
  if (missing.length > 0) {
    parts.push(`older flag set: deno runs thoth without ${missing.join(", ")}`);
  }
  if (extra.length > 0) {
    const turnsOff = cancelled.length === 0
      ? ""
      : ` (so thoth cannot count on ${cancelled.join(", ")})`;
    parts.push(
      `deno runs thoth with words wrap-config does not write: ${extra.join(", ")}${turnsOff}`,
    );
  }
  if (parts.length === 0 && present.join("\0") !== SOURCE_LAUNCH_WORDS.join("\0")) {
    parts.push(
      "deno runs thoth with its launch words repeated or in another order than wrap-config writes",
    );
  }
  return parts.length === 0 ? undefined : parts.join("; ");
}

/** What {@linkcode readThothInvocation} needs to know of an entry's `env`: its `THOTH_WRAP` record. */
export function invocationContext(env: Node | undefined): InvocationContext {
  const value = envProperties(env).get(WRAP_RECORD_KEY)?.value.value;
  return typeof value === "string" ? { wrapRecord: value } : {};
}
