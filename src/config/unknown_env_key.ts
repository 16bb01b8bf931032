/**
 * Refuses an `--env` key for `wrap-config` that names a `THOTH_*` variable
 * thoth reads nowhere (`THOTH_INTENT`, `THOTH_ENFORCEMENT_MODE`,
 * `THOTH_AGENT_ID`, a misspelt `THOTH_TENNANT_ID`): written into every
 * server's `env`, it would change nothing, and `thoth run` would only warn
 * about it later, in the client's log. A usage error (`usage.unknown_env`)
 * naming what does what was meant: the `wrap-config` flag, the `thoth run`
 * flag, or the known variable it is a near miss of (`unknownVariableAdvice`,
 * the advice `thoth run`'s warning gives). The names thoth knows
 * (`KNOWN_THOTH_VARIABLES`) pass, as before; so does any name that is not
 * thoth's. A name in another case (`thoth_tenant_id`) is thoth's in intent
 * and none that thoth reads: refused too. Pure.
 *
 * @example
 * ```ts
 * unknownEnvKeyError("THOTH_INTENT")?.message;
 * // "--env THOTH_INTENT is not a variable thoth reads: …"
 * unknownEnvKeyError("THOTH_USER_ID"); // undefined
 * ```
 */
import { AppError } from "../errors.ts";
import { hidden, looksLikeKey } from "../identity/shown_env_value.ts";
import { KNOWN_THOTH_VARIABLES, unknownVariableAdvice } from "../identity/quick_thoth_env.ts";

/** What `wrap-config --intent-map` does. */
const INTENT_MAP = "give the servers their session intents with --intent-map FILE (a JSON " +
  "object of server name → intent), which wrap-config writes as each one's --intent";
/** What `wrap-config --enforcement-mode` does. */
const MODE = "use --enforcement-mode MODE, which wrap-config writes as each server's " +
  "--enforcement-mode";

/** What does in `wrap-config` what a variable that stands for a flag was meant to do. */
const WRAP_CONFIG_FLAGS: Readonly<Record<string, string>> = {
  THOTH_INTENT: INTENT_MAP,
  THOTH_SESSION_INTENT: INTENT_MAP,
  THOTH_ENFORCEMENT_MODE: MODE,
  THOTH_MODE: MODE,
  THOTH_AGENT_ID: "wrap-config writes each server's --agent-id from its name in the config: " +
    "rename the server there to give it another",
};

/** `usage.unknown_env` for `key`, or undefined when thoth reads it or it is not thoth's. */
export function unknownEnvKeyError(key: string): AppError | undefined {
  const upper = key.toUpperCase();
  if (!upper.startsWith("THOTH_") || KNOWN_THOTH_VARIABLES.has(key)) return undefined;
  // A key pasted as a name is shown by fingerprint only.
  const keyShaped = looksLikeKey(key);
  const shown = keyShaped ? hidden(key) : key;
  const advice = (Object.hasOwn(WRAP_CONFIG_FLAGS, upper) ? WRAP_CONFIG_FLAGS[upper] : undefined) ??
    unknownVariableAdvice(key);
  const near = /^did you mean (THOTH_[A-Z0-9_]+)\?$/.exec(advice ?? "")?.[1];
  return new AppError(
    "usage.unknown_env",
    `--env ${shown} is not a variable thoth reads: written into every server's "env", it ` +
      "would change nothing",
    {
      hints: [
        near !== undefined
          ? `did you mean ${near}? give it as --env ${near}=VALUE`
          : advice ?? `leave ${keyShaped ? "that --env" : `--env ${key}`} out`,
        "nothing was written",
      ],
    },
  );
}
