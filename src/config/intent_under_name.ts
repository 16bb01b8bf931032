/**
 * The intent-map entry a server would run without: the one under its name
 * (or the plain id its name gives) when its agent id does not reach it (see
 * {@linkcode intentUnderName}). `wrapEntry` writes that intent as `--intent`;
 * `thoth status` reports the entry that runs without it. Pure: the map is
 * read through `thoth run`'s readers.
 */
import { agentIdFor } from "./agent_id_for.ts";
import { flaggedAsKey } from "../identity/id_flagged_as_key.ts";
import { type RunReaders, runRefusals } from "./run_refusals.ts";
import type { RunEntry } from "./run_entry.ts";
import type { MappedIntent } from "./run_policy_refusals.ts";

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
