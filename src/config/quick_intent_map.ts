/**
 * The intent map for `thoth run`: a well-formed map is read by
 * {@linkcode readStrictJsonc} without loading the JSONC library; anything
 * else goes to {@linkcode parseIntentMap}, which explains the problem. A
 * server finds its entry with {@linkcode intentEntryFor}: the key equal to its
 * agent id; a server name that may stand for it, or a key that differs from
 * it only by case, refuses it instead.
 *
 * @example
 * ```ts
 * const map = await readIntentMap('{"Everything-Server": "calendar_management"}', "intent_map.json");
 * intentEntryFor(map, "Everything-Server", "intent_map.json");
 * // { key: "Everything-Server", intent: "calendar_management" }
 * ```
 */
import { AppError } from "../errors.ts";
import { agentIdFor } from "./agent_id_for.ts";
import { readStrictJsonc } from "./strict_jsonc.ts";

/** What an intent name looks like. */
export const INTENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/** The map from server name to intent, or undefined when the full parser must look. */
export function quickIntentMap(text: string): Record<string, string> | undefined {
  const parsed = readStrictJsonc(text)?.value;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const map = parsed as Record<string, unknown>;
  for (const value of Object.values(map)) {
    if (typeof value !== "string" || !INTENT_NAME.test(value)) return undefined;
  }
  return map as Record<string, string>;
}

/** Returns the map, or throws `intent_map.invalid` naming the entry that failed. */
export async function readIntentMap(text: string, label: string): Promise<Record<string, string>> {
  const quick = quickIntentMap(text);
  if (quick !== undefined) return quick;
  // The JSONC library, for a map the strict reader refuses: imported by a computed URL, so
  // thoth run's module graph does not list it (see src/cli/unlisted_module.ts).
  const { parseIntentMap } = await import(
    new URL("./parse_intent_map.ts", import.meta.url).href
  ) as typeof import("./parse_intent_map.ts");
  return parseIntentMap(text, label);
}

/** The entry of an intent map a server takes, and the key it was found under. */
export interface IntentEntry {
  key: string;
  intent: string;
}

// Characters a terminal shows as nothing or as a space: written as escapes in messages.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\p{Co}\p{Cn}\u115f\u1160\u3164\uffa0]/gu;

/** `key` quoted for a message, invisible characters escaped (`"gdrive\u200b"`). */
function quoted(key: string): string {
  return JSON.stringify(key).replace(INVISIBLE, (c) => {
    if (c === " ") return c;
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * The keys of `map` that are a client's server names rather than agent ids
 * (`agentIdFor(key) !== key`) and may stand for `agentId`: `wrap-config` turns
 * the name into `agentId` itself, or into the id `agentId` was numbered from
 * (`notes café` → `notes-cafe`, and a second server with that id becomes
 * `notes-cafe-2`). Which server such a key means cannot be told without the
 * client's config.
 */
function nameKeysFor(map: Readonly<Record<string, string>>, agentId: string): string[] {
  const numbered = /^(.+)-[0-9]+$/.exec(agentId)?.[1];
  return Object.keys(map).filter((key) => {
    const id = agentIdFor(key);
    return id !== key && (id === agentId || id === numbered);
  });
}

/**
 * The entry of `map` for the server with agent id `agentId`: the key equal to
 * it; undefined when no key names it. A key that is a client's server name,
 * not an agent id (`"Everything Server"`, `"notes café"`), and that may stand
 * for this server makes it throw `intent_map.inexact`: `wrap-config` numbers
 * the ids of servers whose names collide, so such a key may mean this server
 * or another one, and running with the wrong intent, or none, would widen what
 * a server may do. The server does not start until the entry is written under
 * the agent id `thoth status` shows. A key that differs from the agent id only
 * by case (`"Fault"` for `fault`, or a server name whose id does) throws
 * `intent_map.inexact` too: ids are case-sensitive, and running the server
 * without the intent such an entry surely meant for it would widen what it
 * may do, with only a warning on a stderr desktop clients hide. Pure; `label`
 * names the file in the message.
 *
 * @example
 * ```ts
 * intentEntryFor({ "Everything-Server": "notes" }, "Everything-Server", "intent_map.json");
 * // { key: "Everything-Server", intent: "notes" }
 * intentEntryFor({ "Everything Server": "notes" }, "Everything-Server", "intent_map.json"); // throws
 * intentEntryFor({ Fault: "notes" }, "fault", "intent_map.json"); // throws
 * ```
 */
export function intentEntryFor(
  map: Readonly<Record<string, string>>,
  agentId: string,
  label: string,
): IntentEntry | undefined {
  if (Object.hasOwn(map, agentId)) return { key: agentId, intent: map[agentId] as string };
  const names = nameKeysFor(map, agentId);
  if (names.length === 0) {
    const near = caseNearKey(map, agentId);
    if (near === undefined) return undefined;
    throw new AppError(
      "intent_map.inexact",
      `intent map "${label}" has no entry for agent id "${agentId}", but its entry ` +
        `${quoted(near)} differs from it only by case: agent ids are case-sensitive, so ` +
        "thoth will not guess that the entry means this server, and will not run it without " +
        "the intent it was surely meant to have",
      {
        hints: [
          `rename the entry ${quoted(near)} to "${agentId}" (the agent id "thoth status" shows ` +
          "for this server), or pass --intent",
          'run "thoth doctor" to check the intent map',
        ],
      },
    );
  }
  throw new AppError(
    "intent_map.inexact",
    `intent map "${label}" has no entry for agent id "${agentId}", but ${
      names.length === 1 ? "its entry" : "its entries"
    } ${names.map(quoted).join(", ")} ${
      names.length === 1 ? "is a server name" : "are server names"
    } that may stand for it or for another server (wrap-config numbers ids whose names collide): ` +
      "thoth cannot tell which intent this server has",
    {
      hints: [
        `write each entry under the agent id "thoth status" shows for its server (this one is "${agentId}")`,
        'run "thoth doctor" to check the intent map',
      ],
    },
  );
}

/**
 * The first key of `map` that differs from `agentId` only by case, or names
 * a server whose agent id does, or the id `agentId` was numbered from
 * (`"notes café"` for `Notes-Cafe-2`, as {@linkcode nameKeysFor} reads it
 * with case); undefined when there is none.
 */
function caseNearKey(map: Readonly<Record<string, string>>, agentId: string): string | undefined {
  const lower = agentId.toLowerCase();
  const numbered = /^(.+)-[0-9]+$/.exec(lower)?.[1];
  return Object.keys(map).find((key) => {
    if (key === agentId) return false;
    if (key.toLowerCase() === lower) return true;
    const id = agentIdFor(key);
    return id.toLowerCase() === lower || (id !== key && id.toLowerCase() === numbered);
  });
}

/**
 * Lines to warn about for entries of `map` that are a client's server names
 * rather than agent ids: `thoth run` refuses every server such a name may
 * stand for ({@linkcode intentEntryFor}) until it is written as the agent id.
 * Pure.
 *
 * @example
 * ```ts
 * intentMapProblems({ "Everything Server": "a" });
 * // ['the entry "Everything Server" is a server name, not an agent id: …']
 * ```
 */
export function intentMapProblems(map: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(map)) {
    const id = agentIdFor(key);
    if (id === key) continue;
    problems.push(
      `the entry ${quoted(key)} is a server name, not an agent id: wrap-config --intent-map ` +
        `writes its intent into that server's entry, but a server "${id}" (or a numbered ` +
        `"${id}-N") started without --intent is refused until the entry is written under its ` +
        "agent id",
    );
  }
  return problems;
}
