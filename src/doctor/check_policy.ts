/**
 * Doctor check `policy`: when `<thothHome>/policy.jsonc` exists, the policy
 * plugin must accept it. Without a policy file the check passes: the built-in
 * default applies. Only a regular file is read, as `thoth run` reads it: a
 * FIFO or a device in its place would hang the check for ever, so it fails.
 *
 * @example
 * ```ts
 * (await checkPolicy(context)).status; // "fail" for a policy with a syntax error
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { shellQuote } from "./shell_quote.ts";
import type { DoctorCheck } from "./doctor_check.ts";
import type { DoctorContext } from "./doctor_context.ts";

/** Validates the policy file through the plugin. */
export async function checkPolicy(context: DoctorContext): Promise<DoctorCheck> {
  const path = joinPath(context.thothHome, "policy.jsonc");
  let text: string;
  try {
    text = new TextDecoder().decode(await readRegularFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        id: "policy",
        status: "pass",
        message: `no policy file at "${path}": the built-in default policy applies`,
        hint: null,
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
  const result = context.plugins.validatePolicy(text, path);
  return {
    id: "policy",
    status: result.ok ? "pass" : "fail",
    message: result.message,
    hint: result.ok ? null : result.hint ?? `fix "${path}"`,
  };
}
