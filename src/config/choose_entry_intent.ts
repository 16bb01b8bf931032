/**
 * The session intent a wrapped entry is written with (`--intent`), as the
 * module doc of `wrap_entry.ts` tells: the one given, else the one the entry
 * has, else the intent map's entry under the server's name when its agent id
 * does not reach it (see `intentUnderName`), noted in the entry's
 * `THOTH_WRAP` record so that the next wrap-config takes it from the map
 * again. Pure: the map is read through `thoth run`'s readers.
 */
import type { Node } from "jsonc-parser";
import type { EntryWrapOptions } from "./entry_wrap_options.ts";
import { intentUnderNameNow, type NameIntent } from "./intent_under_name.ts";
import type { RunEntry } from "./run_entry.ts";
import type { WrapRecord } from "./wrap_record.ts";

/** The entry {@linkcode chooseEntryIntent} chooses for. */
export interface IntentEntry {
  /** Whether it runs through thoth already. */
  wrapped: boolean;
  /** Its `env` object, if any. */
  env: Node | undefined;
  /** The server's name in the config. */
  name: string;
  /** The agent id it is written with. */
  agentId: string;
  /** The `--intent` it has now, if any. */
  currentIntent: string | undefined;
}

/** What {@linkcode chooseEntryIntent} chose. */
export interface EntryIntent {
  /** The `--intent` to write, if any. */
  intent: string | undefined;
  /** Said after "intent X → Y" when the intent map moved it, else "". */
  intentWhy: string;
}

/**
 * The intent to write for `entry`. Sets or deletes `record.intent` (the
 * note that the intent came from the map under the server's name) and adds
 * to `reasons` why the intent is written or no longer taken from the map.
 *
 * @example
 * ```ts
 * // intent_map.json: {"git": "code_review"}; "git" in a second project runs as "git-web"
 * const record = emptyWrapRecord();
 * chooseEntryIntent({ thothCommand: ["/opt/thoth/bin/thoth"], run: readers }, {
 *   wrapped: false, env: undefined, name: "git", agentId: "git-web", currentIntent: undefined,
 * }, record, reasons);
 * // { intent: "code_review", intentWhy: "" }; record.intent === "code_review"
 * ```
 */
export function chooseEntryIntent(
  options: EntryWrapOptions,
  entry: IntentEntry,
  record: WrapRecord,
  reasons: string[],
): EntryIntent {
  const { wrapped, env, name, agentId, currentIntent } = entry;
  const recordedIntent = record.intent;
  // The --intent an earlier wrap-config took from the map under the name: taken from it again.
  const fromMap = wrapped && recordedIntent !== undefined &&
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
      plannedRunEntry(env, options.env),
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
    wrapped && recordedIntent !== undefined && record.intent === undefined &&
    intent === currentIntent
  ) {
    reasons.push(
      options.intent !== undefined
        ? `intent ${show(intent)} is now the one given (--intent, --intent-map), no longer ` +
          "taken from the intent map"
        : `intent ${show(intent)} was changed by hand: no longer taken from the intent map`,
    );
  }
  return { intent, intentWhy };
}

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
 * A value as a reason shows it: quoted, or `none`. Quoted as the other
 * messages quote a value (a Windows path's backslashes as written, not
 * doubled); whoever prints the reason escapes a control character.
 *
 * @example
 * ```ts
 * show(undefined); // "none"
 * show("code_review"); // '"code_review"'
 * ```
 */
export function show(value: string | undefined): string {
  return value === undefined ? "none" : `"${value}"`;
}
