/**
 * `thoth policy check`'s look at the profile's intent map beside its
 * policy: the map read as `thoth run` reads it (`readMappedIntents`: the
 * same refusals of a map another user can change, one that is not a regular
 * file, or not valid), and every entry naming an intent the policy does not
 * define: a server started with this profile's policy and no `--intent` of
 * its own is refused (one with `--intent`, or with `--policy FILE`, is
 * not); the map's names appear as messages show them (a key pasted there by
 * fingerprint only). Either makes the check fail.
 *
 * @example
 * ```ts
 * const map = await checkProfileIntentMap(io, ["billing"]);
 * map.problems[0]?.didYouMean; // "billing"
 * ```
 */
import { isAppError } from "../errors.ts";
import { joinPath } from "../platform/join_path.ts";
import { showName } from "../identity/shown_env_value.ts";
import { type MapIntentProblem, mapIntentProblems } from "../policy/map_intent_problems.ts";
import type { CliIo } from "./cli_io.ts";
import { readMappedIntents } from "./mapped_intent.ts";
import { cleanText } from "./report_error.ts";

/** What thoth run does with a server whose entry names an intent the policy lacks. */
export const REFUSED =
  "a server started with this profile's policy and no --intent of its own is refused";

/** What the check found in the intent map. */
export interface IntentMapCheck {
  file: string;
  /** False when there is no map: every server runs without an intent. */
  present: boolean;
  entries: number;
  /** Entries naming an intent the policy does not define, names shown as messages show them. */
  problems: (MapIntentProblem & { message: string })[];
  /** What thoth run warns about the map (entries that are server names). */
  warnings: string[];
  /** thoth run's refusal of the map as a whole ({code, message, hints}), or null. */
  error: { code: string; message: string; hints: string[] } | null;
  /** Whether thoth run would refuse a server started with this policy and no --intent. */
  failed: boolean;
}

/** Checks `THOTH_HOME/intent_map.json` against the policy's intent names `intents`. */
export async function checkProfileIntentMap(
  io: Pick<CliIo, "thothHome">,
  intents: readonly string[],
): Promise<IntentMapCheck> {
  const file = joinPath(io.thothHome, "intent_map.json");
  const warnings: string[] = [];
  try {
    const read = await readMappedIntents(io.thothHome, (line) => warnings.push(line));
    const problems = read === undefined
      ? []
      : mapIntentProblems(read.map, intents, showName).map((p) => ({
        ...p,
        message: `entry ${p.entry} names intent ${p.intent}, which the policy does not define` +
          (p.didYouMean === null ? "" : ` (did you mean ${JSON.stringify(p.didYouMean)}?)`) +
          `: ${REFUSED}`,
      }));
    return {
      file,
      present: read !== undefined,
      entries: read === undefined ? 0 : Object.keys(read.map).length,
      problems,
      warnings,
      error: null,
      failed: problems.length > 0,
    };
  } catch (error) {
    if (!isAppError(error)) throw error;
    // Cleaned as every error thoth prints: the message may quote the map's text.
    const code = error.code;
    const message = cleanText(error.message);
    const hints = error.hints.map(cleanText);
    return {
      file,
      present: true,
      entries: 0,
      problems: [],
      warnings,
      error: { code, message, hints },
      failed: true,
    };
  }
}
