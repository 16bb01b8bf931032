/**
 * The policy `thoth run` governs with when no `--policy` is given:
 * `<thothHome>/policy.jsonc`, or the built-in default it writes there on
 * first run. Read by the checks that must judge a profile as `thoth run`
 * will (the doctor, `wrap-config`); reads, never writes.
 *
 * @example
 * ```ts
 * const policy = await profilePolicyText("/home/ana/.thoth");
 * policy?.source; // 'the policy "/home/ana/.thoth/policy.jsonc"' or "the default policy"
 * ```
 */
import { joinPath } from "../platform/join_path.ts";
import { readRegularFile } from "../platform/read_regular_file.ts";
import { DEFAULT_POLICY_JSONC } from "./default_policy.ts";
import { MAX_POLICY_FILE_BYTES, policyFileText } from "./policy_shape.ts";

/** The policy's text and how to name it; undefined when the file exists but cannot be read. */
export async function profilePolicyText(
  thothHome: string,
): Promise<{ text: string; path: string; source: string } | undefined> {
  const path = joinPath(thothHome, "policy.jsonc");
  try {
    // Only a regular file (a FIFO in its place would block the read for ever),
    // and only up to what a policy can hold: a larger one cannot be read.
    // Strictly UTF-8, as thoth run decodes it: a file in another encoding cannot be read.
    const text = policyFileText(
      await readRegularFile(path, { limit: MAX_POLICY_FILE_BYTES }),
      path,
    );
    return { text, path, source: `the policy "${path}"` };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return undefined;
    return { text: DEFAULT_POLICY_JSONC, path, source: "the default policy" };
  }
}
