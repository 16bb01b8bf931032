/**
 * The `policy` part of `thoth health --json`: the profile's policy file, its
 * digest, whether `thoth run` can use it, and the rules it keeps from an
 * earlier default policy (see {@linkcode policyPart}).
 *
 * @example
 * ```ts
 * const policy = await policyPart(context, joinPath(context.thothHome, "policy.jsonc"));
 * policy.valid; // true when absent: the built-in default applies
 * ```
 */
import { type AppError, isAppError } from "../errors.ts";
import { FileOverLimitError } from "../platform/read_regular_file.ts";
import {
  type GoverningFile,
  governingFileTrust,
  readTrustedFile,
  untrustedGoverningFile,
} from "../config/governing_file_trust.ts";
import { NOT_CHECKED_ROOT_PROFILE, profileIsFileSystemRoot } from "./profile_is_root.ts";
import { MAX_POLICY_FILE_BYTES } from "./check_policy.ts";
import { policyFileText } from "../policy/policy_shape.ts";
import { policyTooLargeRemedy, policyTooLargeText } from "../policy/policy_too_large.ts";
import { missingPolicyProblem } from "../policy/missing_policy.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { type EarlierDefaultRule, earlierDefaultRules } from "../policy/earlier_default_rules.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { HealthReport } from "./health_report_schema.ts";
import { toHex } from "../audit/encoding.ts";

/**
 * The policy file, its digest, and whether `thoth run` can use it (through
 * the same validation `doctor` uses). No file is valid: the default applies;
 * a symbolic link that leads to no file is invalid (`missingPolicyProblem`).
 * Only a regular file is read (a FIFO would hang the report for ever, and
 * `thoth run` refuses it), and only up to {@linkcode MAX_POLICY_FILE_BYTES}:
 * a larger one is invalid as too large, its digest not taken. A valid policy
 * that keeps a rule an earlier default wrote (`earlier_default_rules.ts`) has
 * it in `notes`, as doctor's policy check warns of it; `notes` is null when
 * the policy was not read or is not valid.
 */
export async function policyPart(
  context: DoctorContext,
  path: string,
): Promise<HealthReport["policy"]> {
  // The root of the file system is no profile (the profile part says so): nothing in it counts.
  if (await profileIsFileSystemRoot(context)) {
    return {
      path,
      present: false,
      sha256: null,
      valid: false,
      problem: NOT_CHECKED_ROOT_PROFILE,
      notes: null,
    };
  }
  // A policy another user can change is refused by thoth run (and doctor's policy check).
  const governing: GoverningFile = { kind: "policy", path, thothHome: context.thothHome };
  const trust = context.os === "windows"
    ? null
    : await governingFileTrust(governing, context.host.uid());
  const untrusted = async (error: AppError): Promise<HealthReport["policy"]> => ({
    path,
    // In a profile another user can change, a policy not there yet is refused too.
    present: await Deno.lstat(path).then(() => true, () => false),
    sha256: null,
    valid: false,
    problem: `${error.message}: ${error.hints[0] ?? ""}`,
    notes: null,
  });
  const refusal = trust === null ? null : await untrustedGoverningFile(governing, trust);
  if (refusal !== null) return await untrusted(refusal);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await readTrustedFile(governing, trust, MAX_POLICY_FILE_BYTES);
  } catch (error) {
    if (isAppError(error, "policy.untrusted")) return await untrusted(error);
    if (error instanceof Deno.errors.NotFound) {
      // A link that leads nowhere is there, and thoth run refuses it (doctor's judgement too).
      const broken = missingPolicyProblem(path);
      if (broken === null) {
        // The built-in default applies: it holds no earlier default's rule.
        return { path, present: false, sha256: null, valid: true, problem: null, notes: [] };
      }
      const problem = `${broken.message}; ${broken.hints[0] ?? ""}`;
      return { path, present: true, sha256: null, valid: false, problem, notes: null };
    }
    if (error instanceof FileOverLimitError) {
      // Never read whole: its digest is not taken either.
      return {
        path,
        present: true,
        sha256: null,
        valid: false,
        problem: `${policyTooLargeText(path, error)}: ${
          policyTooLargeRemedy(path, { profile: true })
        }`,
        notes: null,
      };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return {
      path,
      present: true,
      sha256: null,
      valid: false,
      problem: `cannot read the policy: ${reason}`,
      notes: null,
    };
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = toHex(digest);
  let text: string;
  try {
    // Decoded as thoth run decodes it: strictly UTF-8, another encoding refused.
    text = policyFileText(bytes, path);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { path, present: true, sha256, valid: false, problem: error.message, notes: null };
  }
  const result = context.plugins.validatePolicy(text, path);
  return {
    path,
    present: true,
    sha256,
    valid: result.ok,
    problem: result.ok ? null : result.message,
    notes: result.ok ? earlierDefaultNotes(text, path) : null,
  };
}

/**
 * The rules of the valid policy `text` an earlier default wrote, as
 * `thoth policy check --json` lists them (doctor's policy check warns of the
 * first); none when it is not thoth's format (another plug-in's policy).
 */
function earlierDefaultNotes(text: string, path: string): EarlierDefaultRule[] {
  try {
    return earlierDefaultRules(parsePolicy(text, path));
  } catch {
    return [];
  }
}
