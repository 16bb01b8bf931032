/**
 * The credentials `thoth run` reads from its environment, which must not sit
 * in a client config's `env` in plain text: a config is often readable by
 * every user of the machine, copied around and pushed by MDM. `wrap-config`
 * refuses to write them with `--env`; `thoth status` shows one an entry
 * holds as drift. Each comes with where it belongs instead. Pure.
 *
 * @example
 * ```ts
 * secretsInEnv({ THOTH_API_KEY: "k-1", THOTH_USER_ID: "ana@example.com" });
 * // ['"env" holds THOTH_API_KEY in plain text, readable by whoever may read this config; …']
 * ```
 */

/** Each credential variable, with where it belongs instead of a client config. */
export const ENV_CREDENTIALS: Readonly<Record<string, string>> = {
  THOTH_API_KEY: 'save the key with "thoth set-api-key --api-key -"',
  THOTH_AUTH_TOKEN: "write the token to a file only its owner may read and set " +
    "THOTH_AUTH_TOKEN_FILE to that file's path",
  THOTH_RUNTIME_BEARER_TOKEN: "let the runtime that issues it set it in thoth's own environment",
};

/** Whether `key` names a credential `thoth run` reads from its environment. */
export function isEnvCredential(key: string): boolean {
  return Object.hasOwn(ENV_CREDENTIALS, key);
}

/**
 * Drift for each credential an entry's `env` holds in plain text (an empty
 * value holds none), naming where it belongs instead.
 */
export function secretsInEnv(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(ENV_CREDENTIALS).flatMap(([key, instead]) =>
    Object.hasOwn(env, key) && env[key] !== ""
      ? [
        `"env" holds ${key} in plain text, readable by whoever may read this config; ` +
        `${instead}, then remove ${key} from "env"`,
      ]
      : []
  );
}
