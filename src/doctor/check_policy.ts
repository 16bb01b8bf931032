/**
 * Doctor check `policy`: when `<thothHome>/policy.jsonc` exists, the policy
 * plugin must accept it. Without a policy file the check passes: the built-in
 * default applies; a symbolic link there that leads to no file fails, as
 * `thoth run` refuses it (`missingPolicyProblem`). Only a regular file is
 * read, as `thoth run` reads it: a FIFO or a device in its place would hang
 * the check for ever, so it fails. A policy another user can change (see
 * `governing_file_trust.ts`) fails as `thoth run` refuses it, in its words;
 * a profile that is the root of the file system is not checked (the profile
 * check says why).
 * A file over {@linkcode MAX_POLICY_FILE_BYTES} is not read at all (a policy
 * that large could not be used anyway): it fails as too large. A valid policy
 * that keeps a rule an earlier default wrote, which the current default
 * changed (`earlier_default_rules.ts`), warns: it is in force as written.
 *
 * @example
 * ```ts
 * (await checkPolicy(context)).status; // "fail" for a policy with a syntax error
 * ```
 */
import { isAppError } from "../errors.ts";
import { joinPath } from "../platform/join_path.ts";
import { FileOverLimitError } from "../platform/read_regular_file.ts";
import {
  type GoverningFile,
  governingFileTrust,
  readTrustedFile,
  untrustedGoverningFile,
} from "../config/governing_file_trust.ts";
import { notCheckedForRootProfile, profileIsFileSystemRoot } from "./profile_is_root.ts";
import { MAX_POLICY_FILE_BYTES, policyFileText } from "../policy/policy_shape.ts";
import { missingPolicyProblem } from "../policy/missing_policy.ts";
import { shellQuote } from "./shell_quote.ts";
import { policyTooLargeRemedy, policyTooLargeText } from "../policy/policy_too_large.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { earlierDefaultRules } from "../policy/earlier_default_rules.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

/** The most bytes of a policy file thoth reads (see `policy_shape.ts`). */
export { MAX_POLICY_FILE_BYTES };

/** Validates the policy file through the plugin. */
export async function checkPolicy(context: DoctorContext): Promise<DoctorCheck> {
  const path = joinPath(context.thothHome, "policy.jsonc");
  // The root of the file system is no profile: the profile check says so, and nothing in it counts.
  if (await profileIsFileSystemRoot(context)) return notCheckedForRootProfile("policy");
  const governing: GoverningFile = { kind: "policy", path, thothHome: context.thothHome };
  // Whom it must belong to, as thoth run judges it (root judges a user's profile for that user).
  const trust = context.os === "windows"
    ? null
    : await governingFileTrust(governing, context.host.uid());
  // A policy another user can change is refused by thoth run: never reported as in force.
  const refusal = trust === null ? null : await untrustedGoverningFile(governing, trust);
  if (refusal !== null) {
    return {
      id: "policy",
      status: "fail",
      message: refusal.message,
      hint: refusal.hints[0] ?? null,
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readTrustedFile(governing, trust, MAX_POLICY_FILE_BYTES);
  } catch (error) {
    if (isAppError(error, "policy.untrusted")) {
      return { id: "policy", status: "fail", message: error.message, hint: error.hints[0] ?? null };
    }
    if (error instanceof Deno.errors.NotFound) {
      // A link that leads nowhere is no absent policy: thoth run refuses it (one judgement).
      const broken = missingPolicyProblem(path);
      if (broken !== null) {
        return {
          id: "policy",
          status: "fail",
          message: broken.message,
          hint: broken.hints[0] ?? null,
        };
      }
      return {
        id: "policy",
        status: "pass",
        message: `no policy file at "${path}": the built-in default policy applies`,
        hint: null,
      };
    }
    if (error instanceof FileOverLimitError) {
      return {
        id: "policy",
        status: "fail",
        message: policyTooLargeText(path, error),
        hint: policyTooLargeRemedy(path, { profile: true }),
      };
    }
    return {
      id: "policy",
      status: "fail",
      message: `cannot read policy "${path}": ${error instanceof Error ? error.message : error}`,
      hint: error instanceof Deno.errors.InvalidData
        ? `replace it with a policy file, or remove it (rm ${shellQuote(path)}) and thoth run ` +
          "writes the default policy there"
        : `check the owner and permissions of "${path}"`,
    };
  }
  let text: string;
  try {
    // Strictly UTF-8, as thoth run decodes it: another encoding is refused, never read as U+FFFD.
    text = policyFileText(bytes, path);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { id: "policy", status: "fail", message: error.message, hint: error.hints[0] ?? null };
  }
  const result = context.plugins.validatePolicy(text, path);
  if (result.ok) {
    const [earlier, ...more] = earlierRules(text, path);
    // One note is shown whole; the others are counted, and "policy check" lists each.
    const others = more.length === 0
      ? ""
      : `; and ${more.length} more: thoth policy check ${shellQuote(path)}`;
    return earlier === undefined
      ? { id: "policy", status: "pass", message: result.message, hint: null }
      : {
        id: "policy",
        status: "warn",
        message: `${result.message}; but ${earlier.message}${others}`,
        hint: earlier.remedy,
      };
  }
  // A policy with several problems gives the next one as its first hint: that is no remedy.
  const another = typeof result.hint === "string" && result.hint.startsWith(`policy "${path}" `);
  const fix = `fix "${path}" where the message says (every problem, with its line and column: ` +
    `thoth policy check ${shellQuote(path)}), or move it aside and thoth run writes the ` +
    "default policy there";
  return {
    id: "policy",
    status: "fail",
    message: another ? `${result.message}; and more problems` : result.message,
    hint: another || result.hint === undefined || result.hint === null ? fix : result.hint,
  };
}

/** The rules of the policy `text` an earlier default wrote; none when it is not thoth's format. */
function earlierRules(text: string, path: string) {
  try {
    return earlierDefaultRules(parsePolicy(text, path));
  } catch {
    return []; // the plug-in accepted it: a policy in another plug-in's format
  }
}
