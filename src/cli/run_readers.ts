/**
 * `thoth run`'s own readers, for the commands that must judge a config entry
 * as `thoth run` would (`thoth status`, `wrap-config`, `thoth doctor`): its
 * plain reader of the command line (`parseRunArgs`, given one flag and a
 * server command at a time, so that its refusal names that flag and value in
 * `thoth run`'s own words, then the whole argument list as a last check),
 * its check for a repeated flag, its reading of the intent map for a server
 * with no `--intent`, and its policy,
 * found and parsed the way `thoth run` finds
 * and parses it: `--policy FILE` (only a regular file), else `policy.jsonc`
 * in the entry's `THOTH_HOME` (or in `thothHome`, the profile of the person
 * running the check), else the built-in default that `thoth run` writes there
 * on first run (not in place of a link that leads to no file: that is
 * refused, as `thoth run` refuses it, see `missingPolicyProblem`). Reads,
 * never writes; a policy that cannot be read or parsed is reported as such,
 * never guessed at. The intent map is read as
 * `thoth run`'s `mappedIntent` reads it (only a regular file; no file is no
 * map; `readIntentMap`'s two readers; `intentEntryFor`), and a map it would
 * refuse (unreadable, not a regular file, invalid, an entry that is a server
 * name or differs from the agent id only by case) is that refusal, in its
 * words, never "no map". A policy or intent map another user can change is
 * refused as `thoth run` refuses it (`policy.untrusted`,
 * `intent_map.untrusted`: the rule of `governing_file_trust.ts`, judged
 * synchronously; the intent map's owner and mode judged again on the file
 * opened, by `ownerJudge` as `thoth run` judges it), for the user's own
 * profile as for another user's; so `status --check` fails on a server
 * `thoth run` will not start.
 *
 * @example
 * ```ts
 * const report = planStatus(text, { isFile, run: thothRunReaders(io.thothHome) });
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { DEFAULT_POLICY_JSONC } from "../policy/default_policy.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { MAX_POLICY_FILE_BYTES, policyFileText } from "../policy/policy_shape.ts";
import { missingPolicyProblem } from "../policy/missing_policy.ts";
import { type OpenedFileFacts, readRegularFileSync } from "../platform/read_regular_file.ts";
import { joinPath } from "../platform/join_path.ts";
import { isAbsolutePath } from "../config/is_absolute_path.ts";
import type { RunReaders } from "../config/run_refusals.ts";
import {
  type PolicyIntents,
  type PolicyPlace,
  relativePolicyWhy,
} from "../config/run_policy_refusals.ts";
import { parseRunArgs } from "./run_flags.ts";
import { repeatedRunFlag, RUN_VALUE_FLAG_NAMES } from "./run_flag_table.ts";
import { intentEntryFor, quickIntentMap } from "../config/quick_intent_map.ts";
import { readIntentMapText } from "../config/read_intent_map_text.ts";
import { parseIntentMap } from "../config/parse_intent_map.ts";
import { fileIdentitySync, ownedFileDistrustSync } from "../platform/owned_file_distrust.ts";
import { effectiveUid } from "../platform/root_safe_path.ts";
import {
  type GoverningFile,
  ownerJudge,
  untrustedGoverningFileSync,
} from "../config/governing_file_trust.ts";
import { type FileTrust, fileTrustSync } from "../identity/owner_file_trust.ts";

/**
 * How the readers read a profile that belongs to another user (see
 * `judged_profile.ts`): only what root may trust as that user's own
 * (`ownedFileDistrustSync`), and nothing at all of a profile found untrusted
 * beforehand. A file not read is not guessed at: the intent map counts as
 * none and the policy as unread, and each reason is added to `distrusted`,
 * which the command reports (and `status --check` fails on).
 */
export interface OwnerTrust {
  /** The uid the profile belongs to: its files must be that user's or root's. */
  readonly owner: number;
  /** Why the default profile (`thothHome`) is not trusted, or null when it may be read. */
  readonly profileDistrust: string | null;
  /** What was not read, and why, in words (filled in as the readers go). */
  readonly distrusted: string[];
}

/**
 * The readers, with `thothHome` as the profile of an entry whose `env` sets
 * no `THOTH_HOME`; with `trust`, every file is judged before it is read (see
 * {@linkcode OwnerTrust}).
 */
export function thothRunReaders(thothHome: string, trust?: OwnerTrust): RunReaders {
  const policies = new Map<string, PolicyIntents>();
  const maps = new Map<string, Readonly<Record<string, string>> | AppError | null>();
  // `inProfile`: a file of a profile (no link followed), else one an entry names (`--policy`).
  const untrusted = (
    file: string,
    defaultProfile: boolean,
    inProfile: boolean,
  ): string | undefined => {
    if (trust === undefined) return undefined;
    // The profile as a whole is said once, by whoever judged it.
    if (defaultProfile && trust.profileDistrust !== null) {
      return `"${file}" was not read: ${trust.profileDistrust}`;
    }
    const why = ownedFileDistrustSync(file, new Set([0, trust.owner]), { noLink: inProfile });
    if (why === undefined) return undefined;
    const said = `"${file}" was not read: ${why}`;
    if (!trust.distrusted.includes(said)) trust.distrusted.push(said);
    return said;
  };
  // Whom a governing file must belong to, as thoth run judges it. Judging another user's
  // profile, that is that user (who runs its servers).
  const ownerOf = (file: GoverningFile): FileTrust | null => {
    const self = effectiveUid();
    return trust === undefined
      ? fileTrustSync(file.thothHome)
      : self === null
      ? null
      : { owner: trust.owner, self };
  };
  // thoth run's own refusal of a file another user can change.
  const refusal = (file: GoverningFile, owner = ownerOf(file)): AppError | null =>
    owner === null ? null : untrustedGoverningFileSync(file, owner);
  return {
    os: Deno.build.os,
    flagNames: RUN_VALUE_FLAG_NAMES,
    readFlag: (flag, value) => {
      const refusal = parseRunArgs([flag, value, "--", "server"])?.options.refusal;
      if (refusal !== undefined) throw refusal.error;
    },
    repeatedFlag: repeatedRunFlag,
    readArgs: readRunArgs,
    mappedIntent: (home, agentId) => {
      const file = joinPath(home ?? thothHome, "intent_map.json");
      let map = maps.get(file);
      if (map === undefined) {
        const governing: GoverningFile = {
          kind: "intent_map",
          path: file,
          thothHome: home ?? thothHome,
        };
        const owner = ownerOf(governing);
        // Judged by its path, then, as thoth run judges it, on the file opened (a map swapped
        // in between, one another user owns or may write to, is refused, never read).
        map = untrusted(file, home === undefined, true) === undefined
          ? refusal(governing, owner) ??
            asRead(file, trust, (path) => readMapAsRun(path, ownerJudge(governing, owner)))
          : null;
        maps.set(file, map);
      }
      if (map === null) return { kind: "none" };
      if (map instanceof AppError) return { kind: "refused", error: map };
      try {
        const entry = intentEntryFor(map, agentId, file);
        return entry === undefined ? { kind: "none" } : { kind: "mapped", ...entry, file };
      } catch (error) {
        if (!isAppError(error)) throw error;
        return { kind: "refused", error };
      }
    },
    policyIntents: (place) => {
      if (place.policy !== undefined && !isAbsolutePath(place.policy)) {
        // Not read here: runRefusals refuses it (relativePolicyWhy), as thoth run may not find it.
        return { read: false, why: relativePolicyWhy(place.policy), refused: false };
      }
      const file = place.policy ?? joinPath(place.thothHome ?? thothHome, "policy.jsonc");
      let known = policies.get(file);
      if (known === undefined) {
        const why = untrusted(
          file,
          place.policy === undefined && place.thothHome === undefined,
          place.policy === undefined,
        );
        const refused = why === undefined
          ? refusal({
            kind: "policy",
            path: file,
            thothHome: place.thothHome ?? thothHome,
            named: place.policy !== undefined,
          })
          : null;
        known = why !== undefined
          ? { read: false, why, refused: false }
          : refused !== null
          ? { read: false, why: `${refused.message}; ${refused.hints[0] ?? ""}`, refused: true }
          : asRead(file, trust, (path) => readPolicyIntents(path, place)) ??
            {
              read: false,
              why: `"${file}" was not read: it changed while it was read`,
              refused: false,
            };
        policies.set(file, known);
      }
      return known;
    },
  };
}

/**
 * `read(file)`, and with `trust`, only when what was read is what was judged:
 * a file swapped between the judging and the read (by its owner, who may
 * change the folder) is not used, and the swap is added to `distrusted`.
 */
function asRead<T>(
  file: string,
  trust: OwnerTrust | undefined,
  read: (file: string) => T,
): T | null {
  if (trust === undefined) return read(file);
  const before = fileIdentitySync(file);
  const value = read(file);
  if (fileIdentitySync(file) === before) return value;
  trust.distrusted.push(`"${file}" was not read: it changed while it was read`);
  return null;
}

/**
 * `thoth run`'s own reading of the arguments after `run`: the error it
 * refuses them with, or undefined when it would start the server. With a
 * server command after `--`, the plain reader declines only help (`-h`,
 * `--help`): the full parser then prints it and starts nothing.
 */
export function readRunArgs(args: readonly string[]): AppError | undefined {
  const parsed = parseRunArgs(args);
  if (parsed !== undefined) return parsed.options.refusal?.error;
  return new AppError(
    "usage.run_help",
    'thoth run reads these flags as a request for its help (-h or --help before "--") and ' +
      "starts no server",
    { hints: ['remove -h/--help from the flags before "--"'] },
  );
}

/**
 * The intent map at `file` as `thoth run` reads it (`mappedIntent` in
 * `mapped_intent.ts`): null when there is none; the error it refuses with
 * when it is not a regular file, cannot be read (`intent_map.unreadable`,
 * `readIntentMapText`), is refused by `judge` on the file opened
 * (`ownerJudge`: `intent_map.untrusted`, a map another user owns or may write
 * to, swapped in after its path was judged), or is invalid (`readIntentMap`'s
 * readers, `intent_map.invalid`). `tests/cli/status_intent_map_test.ts` holds the two to
 * the same answers.
 */
function readMapAsRun(
  file: string,
  judge: (facts: OpenedFileFacts) => void,
): Readonly<Record<string, string>> | AppError | null {
  try {
    const text = readIntentMapText(file, { judge });
    if (text === null) return null;
    return quickIntentMap(text) ?? parseIntentMap(text, file);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return error;
  }
}

function readPolicyIntents(file: string, place: PolicyPlace): PolicyIntents {
  let bytes: Uint8Array | undefined;
  let source = `the policy "${file}"`;
  try {
    // Only a regular file, and only up to what a policy can hold, as thoth run reads it.
    bytes = readRegularFileSync(file, { limit: MAX_POLICY_FILE_BYTES });
  } catch (error) {
    if (place.policy !== undefined || !(error instanceof Deno.errors.NotFound)) {
      const why = error instanceof Deno.errors.NotFound
        ? "no such file"
        : error instanceof Error
        ? error.message
        : String(error);
      return { read: false, why: `cannot read policy "${file}": ${why}`, refused: true };
    }
    // A link that leads nowhere is refused by thoth run, not replaced by the default.
    const broken = missingPolicyProblem(file);
    if (broken !== null) {
      return { read: false, why: `${broken.message}; ${broken.hints[0] ?? ""}`, refused: true };
    }
    // thoth run writes the default policy there on first run and governs with it.
    source = "the default policy";
  }
  try {
    // Strictly UTF-8, as thoth run decodes it (policy.invalid otherwise).
    const text = bytes === undefined ? DEFAULT_POLICY_JSONC : policyFileText(bytes, file);
    return { read: true, names: Object.keys(parsePolicy(text, file).intents ?? {}), source };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { read: false, why: error.message, refused: true };
  }
}
