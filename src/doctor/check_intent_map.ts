/**
 * Doctor check `intent_map`: `<thothHome>/intent_map.json` maps server names
 * to session intents, as in `{"gdrive": "calendar_management"}`. It is read
 * by the same reader as `thoth run`, and every intent it names must be one
 * the profile's policy defines (the built-in default when there is no policy
 * file): `thoth run` refuses to start a server whose intent is unknown, so
 * the doctor must not call such a map healthy. A key that is a server's name
 * rather than an agent id makes `thoth run` refuse the servers it may stand
 * for when they have no `--intent` of their own: a warning. Only a regular
 * file is read, and only up to `MAX_INTENT_MAP_BYTES`, as `thoth run` reads
 * it: a larger one fails as too large, with its size and what to do; a
 * symbolic link that leads to no file fails as the broken map `thoth run`
 * refuses (`missingIntentMapProblem`), never as "no map". A map
 * another user can change (see `governing_file_trust.ts`) fails as `thoth
 * run` refuses it, in its words; a policy it refuses as untrusted is none
 * to judge the intents by (the policy check says why). A profile that is
 * the root of the file system is not checked (the profile check says why).
 *
 * @example
 * ```ts
 * (await checkIntentMap(context)).message; // 'intent map "…/intent_map.json": 2 servers mapped, …'
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import {
  type GoverningFile,
  governingFileTrust,
  ownerJudge,
  untrustedGoverningFile,
} from "../config/governing_file_trust.ts";
import { notCheckedForRootProfile, profileIsFileSystemRoot } from "./profile_is_root.ts";
import { intentMapProblems, readIntentMap } from "../config/quick_intent_map.ts";
import { shellQuote } from "./shell_quote.ts";
import { showName } from "../identity/shown_env_value.ts";
import { mapIntentProblems } from "../policy/map_intent_problems.ts";
import { joinPath } from "../platform/join_path.ts";
import {
  intentMapFileText,
  intentMapTooLargeRemedy,
  intentMapTooLargeText,
  MAX_INTENT_MAP_BYTES,
} from "../config/read_intent_map_text.ts";
import { missingIntentMapProblem } from "../config/missing_intent_map.ts";
import { FileOverLimitError, readSmallRegularFile } from "../platform/read_small_regular_file.ts";
import { profilePolicyText } from "../policy/profile_policy_text.ts";
import { missingPolicyProblem } from "../policy/missing_policy.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

const SHAPE_HINT =
  'make it a JSON object of server name to intent, e.g. {"gdrive": "calendar_management"}';

/** Validates the intent map, and its intents against the policy's. */
export async function checkIntentMap(context: DoctorContext): Promise<DoctorCheck> {
  return (await readIntentMapReport(context)).check;
}

/** The intent map as the doctor check and `thoth health` report it. */
export interface IntentMapReport {
  /** The map's path. */
  path: string;
  /** Whether something is at the path (a file, or what stands in its place). */
  present: boolean;
  /** How many servers it maps; null when it was not read or is refused. */
  servers: number | null;
  /** The doctor check: `fail` when thoth run refuses servers over it. */
  check: DoctorCheck;
}

/** Reads and judges the intent map; see {@linkcode checkIntentMap}. */
export async function readIntentMapReport(context: DoctorContext): Promise<IntentMapReport> {
  const path = joinPath(context.thothHome, "intent_map.json");
  const report = (check: DoctorCheck, servers: number | null = null, present = true) => ({
    path,
    present,
    servers,
    check,
  });
  // The root of the file system is no profile: the profile check says so, and nothing in it counts.
  if (await profileIsFileSystemRoot(context)) {
    return report(notCheckedForRootProfile("intent_map"), null, false);
  }
  const governing: GoverningFile = { kind: "intent_map", path, thothHome: context.thothHome };
  // Whom it must belong to, as thoth run judges it (root judges a user's profile for that user).
  const trust = context.os === "windows"
    ? null
    : await governingFileTrust(governing, context.host.uid());
  // A map another user can change is refused by thoth run: never reported as in force.
  const refusal = trust === null ? null : await untrustedGoverningFile(governing, trust);
  if (refusal !== null) return report(untrustedCheck(refusal), null, await isThere(path));
  let bytes: Uint8Array;
  try {
    // Opened before it is looked at: a FIFO or a device in its place, even one
    // swapped in while the doctor runs as root, is refused, never read; so is
    // a file another user owns, judged on the handle opened.
    bytes = await readSmallRegularFile(path, MAX_INTENT_MAP_BYTES, {
      judge: ownerJudge(governing, trust),
    });
  } catch (error) {
    if (isAppError(error, "intent_map.untrusted")) return report(untrustedCheck(error));
    if (error instanceof Deno.errors.InvalidData) {
      return report({
        id: "intent_map",
        status: "fail",
        message: `intent map "${path}" is not a regular file; thoth run refuses to start ` +
          "every server that has no --intent of its own",
        hint: `replace it with a JSON file: echo '{}' > ${shellQuote(path)}`,
      });
    }
    if (error instanceof FileOverLimitError) {
      // thoth run reads no more than the doctor (readIntentMapText): it refuses such a map too.
      return report({
        id: "intent_map",
        status: "fail",
        message: `${intentMapTooLargeText(path, error)}; thoth run refuses to start every ` +
          "server that has no --intent of its own",
        hint: intentMapTooLargeRemedy(path),
      });
    }
    if (error instanceof Deno.errors.NotFound) {
      // A link that leads nowhere is a broken map, as thoth run reads it (missingIntentMapProblem):
      // it refuses every server that has no --intent of its own. The remedy never writes through it.
      const broken = missingIntentMapProblem(path);
      if (broken !== null) {
        return report({
          id: "intent_map",
          status: "fail",
          message: `${broken.message}; thoth run refuses to start every server that has no ` +
            "--intent of its own",
          hint: broken.hints[0] ?? null,
        });
      }
      return report(
        {
          id: "intent_map",
          status: "warn",
          message: `no intent map at "${path}"`,
          hint: `create it with: echo '{}' > ${shellQuote(path)}`,
        },
        null,
        false,
      );
    }
    return report({
      id: "intent_map",
      status: "fail",
      message: `cannot read intent map "${path}": ${
        error instanceof Error ? error.message : error
      }`,
      hint: `check the owner and permissions of "${path}"`,
    });
  }
  const refused = (error: AppError, hint: string | null) =>
    report({
      id: "intent_map",
      status: "fail",
      message: `${error.message}; until it is fixed, thoth run refuses to start every server ` +
        "that has no --intent of its own",
      hint,
    });
  let text: string;
  try {
    // Strictly UTF-8, as thoth run decodes it (intent_map.invalid otherwise).
    text = intentMapFileText(bytes, path);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return refused(error, error.hints[0] ?? null);
  }
  let map: Record<string, string>;
  try {
    map = await readIntentMap(text, path);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return refused(error, SHAPE_HINT);
  }
  const count = Object.keys(map).length;
  const mapped = `${count} server${count === 1 ? "" : "s"} mapped`;
  // An intent thoth run refuses outweighs a key it only warns about.
  const keyProblem = keyCheck(map, path);
  const policy = await policyIntents(context);
  if (policy === undefined) {
    return report(
      keyProblem ?? {
        id: "intent_map",
        status: "pass",
        message: `intent map "${path}": ${mapped}`,
        hint: null,
      },
      count,
    );
  }
  // The check `thoth policy check` makes too; a key pasted as an intent (or a server name) is
  // shown by fingerprint only.
  const unknown = mapIntentProblems(map, policy.intents, showName);
  if (unknown.length > 0) {
    const list = unknown.map((p) => `${p.entry} → ${p.intent}`).join(", ");
    const servers = unknown.length === 1 ? "that server" : "those servers";
    return report({
      id: "intent_map",
      status: "fail",
      message: `intent map "${path}": ${list}: not an intent of ${policy.source}; ` +
        `thoth run refuses to start ${servers} under this policy without an --intent of its own`,
      hint: policy.intents.length > 0
        ? `map to one of: ${policy.intents.join(", ")}; or add the intent under "intents" in ` +
          "the policy"
        : 'add the intent under "intents" in the policy, or remove the entry',
    }, count);
  }
  return report(
    keyProblem ?? {
      id: "intent_map",
      status: "pass",
      message: `intent map "${path}": ${mapped}, ` +
        (count === 0 ? "none needed" : `each to an intent of ${policy.source}`),
      hint: null,
    },
    count,
  );
}

/** The check of a map thoth run refuses as untrusted, in its words. */
function untrustedCheck(error: AppError): DoctorCheck {
  return {
    id: "intent_map",
    status: "fail",
    message: `${error.message}; thoth run refuses to start every server that has no --intent ` +
      "of its own",
    hint: error.hints[0] ?? null,
  };
}

/** Whether anything (a link included) is at `path`. */
async function isThere(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/**
 * Entries written under a client's server name rather than an agent id:
 * `wrap-config --intent-map` reads them by name and writes `--intent` into the
 * entries, but a server started without `--intent` that such a name may stand
 * for is refused by `thoth run` (which of two colliding servers it means
 * cannot be told): a warning naming them.
 */
function keyCheck(map: Readonly<Record<string, string>>, path: string): DoctorCheck | null {
  const problems = intentMapProblems(map);
  if (problems.length === 0) return null;
  return {
    id: "intent_map",
    status: "warn",
    message: `intent map "${path}": ${problems.join("; ")}`,
    hint: 'write each entry under the agent id "thoth status" shows for its server ' +
      "(the --agent-id thoth run is given)",
  };
}

/**
 * The intents of the policy `thoth run` would use; undefined when it cannot
 * be read or the validator does not report intents (the policy check says why).
 */
async function policyIntents(
  context: DoctorContext,
): Promise<{ intents: readonly string[]; source: string } | undefined> {
  const policy = await profilePolicyText(context.thothHome);
  if (policy === undefined) return undefined;
  // A policy thoth run would refuse as untrusted is none to judge by (the policy check says why).
  const governing: GoverningFile = {
    kind: "policy",
    path: policy.path,
    thothHome: context.thothHome,
  };
  const trust = context.os === "windows"
    ? null
    : await governingFileTrust(governing, context.host.uid());
  if (trust !== null && (await untrustedGoverningFile(governing, trust)) !== null) return undefined;
  // A link to no file is no default policy: thoth run refuses it (the policy check says why).
  if (policy.source === "the default policy" && missingPolicyProblem(policy.path) !== null) {
    return undefined;
  }
  const result = context.plugins.validatePolicy(policy.text, policy.path);
  return result.ok && result.intents !== undefined
    ? { intents: result.intents, source: policy.source }
    : undefined;
}
