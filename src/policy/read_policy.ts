/**
 * The policy for `thoth run`: a well-formed, valid policy is read by the
 * plain checks of {@linkcode readStrictJsonc} and {@linkcode isValidPolicy};
 * anything else goes to {@linkcode parsePolicy}, which loads the JSONC and
 * schema libraries and explains every problem with its line and column. The
 * answer is the same either way (a test holds the two paths together); the
 * plain path only keeps those libraries out of a process that lives as long
 * as its server.
 *
 * @example
 * ```ts
 * const policy = await readPolicy(await Deno.readTextFile(file), file);
 * ```
 */
import { readStrictJsonc } from "../config/strict_jsonc.ts";
import { isValidPolicy, MAX_POLICY_CHARS, policyBody } from "./policy_shape.ts";
import type { Policy } from "./policy_schema.ts";

/** Parses and validates `text`; throws `policy.invalid` naming `fileName`, line and column. */
export async function readPolicy(file: string, fileName: string): Promise<Policy> {
  const text = policyBody(file);
  if (text.length <= MAX_POLICY_CHARS) {
    const parsed = readStrictJsonc(text);
    if (parsed !== undefined && isValidPolicy(parsed.value)) return parsed.value;
  }
  // Imported by a computed URL, so thoth run's module graph does not list the libraries either
  // (see src/cli/unlisted_module.ts).
  const { parsePolicy } = await import(
    new URL("./parse_policy.ts", import.meta.url).href
  ) as typeof import("./parse_policy.ts");
  return parsePolicy(text, fileName);
}
