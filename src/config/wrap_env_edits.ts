/**
 * The edits `wrapEntry` makes to a server entry's `env`: the `--env` pairs
 * (new keys before the first existing one, with the object's own
 * separator; a replaced value kept in the record), what an earlier `--env
 * THOTH_ENFORCER_URL` did taken back (see `deprecated_env.ts`), and the
 * `THOTH_WRAP` record added or brought up to date. A missing `env` is created
 * just after `args` (or `command`) and recorded. Pure.
 */
import type { Edit, Node } from "jsonc-parser";
import type { StdioEntry } from "./classify_entry.ts";
import type { EntryWrapOptions } from "./entry_wrap_options.ts";
import type { EnvProperty } from "./env_properties.ts";
import { namesThothBinary } from "./thoth_invocation.ts";
import {
  formatWrapRecord,
  isEmptyWrapRecord,
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

/** What {@linkcode wrapEnvEdits} reads, and the record and reasons it adds to. */
export interface WrapEnvInput {
  /** The config's text. */
  text: string;
  entry: StdioEntry;
  options: EntryWrapOptions;
  /** The thoth path written as the entry's command. */
  thothPath: string;
  /** The entry's `env` properties (see `envProperties`). */
  envProps: ReadonlyMap<string, EnvProperty>;
  /** Its `THOTH_WRAP` property, if any. */
  recordProp: EnvProperty | undefined;
  /** The record to write: changed in place. */
  record: WrapRecord;
  /** The record as the entry has it, formatted; undefined without one. */
  recordBefore: string | undefined;
  /** Whether the entry runs through thoth already. */
  wrapped: boolean;
  /** What changed: added to. */
  reasons: string[];
}

/**
 * The `env` edits of one entry, in the order `wrapEntry` makes them.
 *
 * @example
 * ```ts
 * // an entry with no env, wrapped with --env THOTH_USER_ID=ana
 * wrapEnvEdits({ text, entry, options, thothPath, envProps, recordProp: undefined, record,
 *   recordBefore: undefined, wrapped: false, reasons });
 * // one edit: `"env": {"THOTH_USER_ID": "ana", "THOTH_WRAP": "v1;…"}` after "args"; reasons: ["env THOTH_USER_ID added"]
 * ```
 */
export function wrapEnvEdits(input: WrapEnvInput): Edit[] {
  const { text, entry, options, thothPath, envProps, recordProp, record, recordBefore, wrapped } =
    input;
  const { reasons } = input;
  const edits: Edit[] = [];
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
    if (wrapped && reasons.length === 0 && recordText !== recordBefore) {
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
  return edits;
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

/**
 * The edit that replaces the value `node` with the JSON string `value`, in its own span.
 *
 * @example
 * ```ts
 * replaceValue(entry.command, "/opt/thoth/bin/thoth"); // { offset, length, content: '"/opt/thoth/bin/thoth"' }
 * ```
 */
export function replaceValue(node: Node, value: string): Edit {
  return span(node.offset, nodeEnd(node), JSON.stringify(value));
}
