/**
 * The intent map for `thoth run`: a well-formed map is read by
 * {@linkcode readStrictJsonc} without loading the JSONC library; anything
 * else goes to {@linkcode parseIntentMap}, which explains the problem. A
 * server finds its entry with {@linkcode intentEntryFor}: the key equal to its
 * agent id, else the key `wrap-config` turns into that agent id.
 *
 * @example
 * ```ts
 * const map = await readIntentMap('{"Everything Server": "calendar_management"}', "intent_map.json");
 * intentEntryFor(map, "Everything-Server", "intent_map.json");
 * // { key: "Everything Server", intent: "calendar_management" }
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
  const { parseIntentMap } = await import("./parse_intent_map.ts");
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

/** The keys other than `agentId` itself that `wrap-config` turns into `agentId`. */
function derivedKeys(map: Readonly<Record<string, string>>, agentId: string): string[] {
  return Object.keys(map).filter((key) => key !== agentId && agentIdFor(key) === agentId);
}

/**
 * The entry of `map` for the server with agent id `agentId`: the key equal to
 * it, else the client-config name `wrap-config` turns into it with
 * `agentIdFor` (`"Everything Server"` → `Everything-Server`, `"gdrive\u200b"`
 * → `gdrive`), so a map written with the client's server names still
 * governs. Undefined when no key fits. Throws `intent_map.ambiguous` (the
 * server must not start: which intent narrows it is unknown) when several
 * keys turn into `agentId` and name different intents. Pure; `label` names
 * the file in the message.
 *
 * @example
 * ```ts
 * intentEntryFor({ "My Notes": "notes" }, "My-Notes", "intent_map.json");
 * // { key: "My Notes", intent: "notes" }
 * intentEntryFor({ "a b": "x", "a  b": "y" }, "a-b", "intent_map.json"); // throws
 * ```
 */
export function intentEntryFor(
  map: Readonly<Record<string, string>>,
  agentId: string,
  label: string,
): IntentEntry | undefined {
  const exact = Object.hasOwn(map, agentId) ? map[agentId] : undefined;
  if (exact !== undefined) return { key: agentId, intent: exact };
  const keys = derivedKeys(map, agentId);
  const first = keys[0];
  if (first === undefined) return undefined;
  const intents = new Set(keys.map((key) => map[key]));
  if (intents.size > 1) {
    throw new AppError(
      "intent_map.ambiguous",
      `intent map "${label}": the entries ${
        keys.map(quoted).join(", ")
      } all stand for agent id "${agentId}" and name different intents`,
      {
        hints: [
          `add an entry for "${agentId}" itself, or remove all but one of them`,
          'run "thoth doctor" to check the intent map',
        ],
      },
    );
  }
  return { key: first, intent: map[first] as string };
}

/**
 * Lines to warn about for entries of `map` that never govern as written: a
 * key that turns into an agent id another key names exactly (that one wins,
 * so this one never counts), and keys that turn into the same agent id with
 * different intents (that server is refused). Pure.
 *
 * @example
 * ```ts
 * intentMapProblems({ gdrive: "a", "gdrive\u200b": "b" });
 * // ['the entry "gdrive\u200b" stands for agent id "gdrive", which has an entry of its own: it never applies']
 * ```
 */
export function intentMapProblems(map: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(map)) {
    const id = agentIdFor(key);
    if (id === key) continue;
    if (Object.hasOwn(map, id)) {
      problems.push(
        `the entry ${quoted(key)} stands for agent id "${id}", which has an entry ` +
          "of its own: it never applies",
      );
    } else {
      groups.set(id, [...(groups.get(id) ?? []), key]);
    }
  }
  for (const [id, keys] of groups) {
    if (new Set(keys.map((key) => map[key])).size > 1) {
      problems.push(
        `the entries ${
          keys.map(quoted).join(", ")
        } all stand for agent id "${id}" and name different intents: thoth run refuses ` +
          "that server until one entry is left or one is written as the agent id",
      );
    }
  }
  return problems;
}
