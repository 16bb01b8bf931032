/**
 * The intent map `THOTH_HOME/intent_map.json` as `thoth run` reads it
 * outside the sandbox: the whole map ({@linkcode readMappedIntents}) and the
 * entry for one agent id ({@linkcode mappedIntent}), each refused when
 * another user can change the file (`governing_file_trust.ts`).
 *
 * @example
 * ```ts
 * const entry = await mappedIntent(io.thothHome, "gdrive");
 * entry?.intent; // "read-only"
 * ```
 */
import {
  type GoverningFile,
  governingFileTrust,
  ownerJudge,
  untrustedGoverningFile,
} from "../config/governing_file_trust.ts";
import {
  type IntentEntry,
  intentEntryFor,
  intentMapProblems,
  readIntentMap,
} from "../config/quick_intent_map.ts";
import { readIntentMapText } from "../config/read_intent_map_text.ts";
import { joinPath } from "../platform/join_path.ts";

/**
 * The session intent `THOTH_HOME/intent_map.json` gives the server with agent
 * id `server`, read as `thoth run` reads it, with the key it was found under
 * (the agent id itself, `intentEntryFor`); undefined when there is no map or
 * no entry. Entries that are server names rather than agent ids are reported
 * through `warn`. Only a regular file is read (a FIFO would block the read,
 * and the client, for ever), and only when another user cannot change it
 * (`governing_file_trust.ts`, as the policy: judged by its path, then its
 * owner and mode again on the file opened). Throws `intent_map.untrusted`,
 * `intent_map.unreadable`,
 * `intent_map.invalid` or `intent_map.inexact` (a server name that may stand
 * for this server, or a key that differs from its agent id only by case).
 */
export async function mappedIntent(
  thothHome: string,
  server: string,
  warn?: (line: string) => void,
): Promise<IntentEntry | undefined> {
  const read = await readMappedIntents(thothHome, warn);
  if (read === undefined) return undefined;
  // Agent ids are case-sensitive; an entry that differs only by case is almost
  // certainly meant for this server, and running without its intent would widen
  // what the server may do: intentEntryFor refuses it, as it does a server name.
  return intentEntryFor(read.map, server, read.file);
}

/**
 * The whole intent map `THOTH_HOME/intent_map.json` as {@linkcode mappedIntent}
 * reads it (the same refusals), with its path; undefined when there is none.
 *
 * @example
 * ```ts
 * const read = await readMappedIntents(io.thothHome);
 * read?.map["fs"]; // "billing"
 * ```
 */
export async function readMappedIntents(
  thothHome: string,
  warn?: (line: string) => void,
): Promise<{ map: Readonly<Record<string, string>>; file: string } | undefined> {
  const file = joinPath(thothHome, "intent_map.json");
  // A map another user can change names the intent that widens what a server may do: refused.
  const governing: GoverningFile = { kind: "intent_map", path: file, thothHome };
  const trust = await governingFileTrust(governing);
  const refusal = trust === null ? null : await untrustedGoverningFile(governing, trust);
  if (refusal !== null) throw refusal;
  // The file opened is judged again (owner and mode): one swapped in since is refused too.
  const text = readIntentMapText(file, { judge: ownerJudge(governing, trust) });
  if (text === null) return undefined;
  const map = await readIntentMap(text, file);
  for (const problem of intentMapProblems(map)) warn?.(`intent map "${file}": ${problem}`);
  return { map, file };
}
