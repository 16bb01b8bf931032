/**
 * Refuses the `--env` pairs of `wrap-config` that no entry may be written
 * with ({@linkcode checkEnvPairs}): a key given twice, a credential
 * `thoth run` reads from elsewhere (see `env_credentials.ts`), and a THOTH_*
 * value `thoth run` would refuse. Pure: throws an {@linkcode AppError}.
 *
 * @example
 * ```ts
 * checkEnvPairs([["THOTH_USER_ID", "ana@example.com"]]); // passes
 * checkEnvPairs([["THOTH_API_KEY", "k-123"]]); // throws usage.secret_in_env
 * ```
 */
import { THOTH_ENV_VARIABLES } from "../identity/quick_thoth_env.ts";
import { validateThothEnv } from "../identity/validate_thoth_env.ts";
import { AppError } from "../errors.ts";
import { ENV_CREDENTIALS, isEnvCredential } from "./env_credentials.ts";

/**
 * Refuses an `--env` key given twice (which value would count is a guess),
 * and a THOTH_* value that `thoth run` would refuse, whatever the entry.
 */
export function checkEnvPairs(pairs: readonly (readonly [string, string])[]): void {
  const seen = new Set<string>();
  for (const [key] of pairs) {
    if (seen.has(key)) {
      throw new AppError("usage.repeated_env", `--env ${key} is given more than once`, {
        hints: [`give --env ${key}=VALUE once; nothing was written`],
      });
    }
    seen.add(key);
  }
  const credential = pairs.find(([key, value]) => isEnvCredential(key) && value !== "");
  if (credential !== undefined) {
    const [key] = credential;
    throw new AppError(
      "usage.secret_in_env",
      `--env ${key} would write a credential into the config in plain text, readable by ` +
        "whoever may read it (often every user of the machine, and every copy an MDM pushes)",
      {
        hints: [
          `${ENV_CREDENTIALS[key]}; thoth run reads it from there`,
          `leave --env ${key} out; nothing was written`,
        ],
      },
    );
  }
  const problems: string[] = [];
  for (const [key, value] of pairs) {
    if (!(THOTH_ENV_VARIABLES as readonly string[]).includes(key)) continue;
    const checked = validateThothEnv({ [key]: value });
    if (!checked.ok) problems.push(...checked.problems.map((problem) => problem.message));
  }
  if (problems.length === 0) return;
  throw new AppError("usage.bad_env", `--env ${problems.join("; --env ")}`, {
    hints: [
      "thoth run refuses to start a server whose env holds such a value; pass a valid one, " +
      "or leave that --env out (is the shell variable it came from unset?)",
    ],
  });
}
