/**
 * The variables of thoth's environment that carry a credential: each one
 * thoth keeps as a {@linkcode Secret} once read (an API key, a bearer token),
 * and each `…_FILE` variable that names the file one of those is read from
 * instead. Derived from {@linkcode THOTH_ENV_VARIABLES} and
 * {@linkcode buildThothEnv}, so a credential added there is listed here
 * without a second list to keep in step. `thoth run` removes them from the
 * environment of the server it governs (see `upstream_env.ts`).
 *
 * @example
 * ```ts
 * CREDENTIAL_VARIABLES;
 * // ["THOTH_RUNTIME_BEARER_TOKEN", "THOTH_AUTH_TOKEN", "THOTH_API_KEY",
 * //  "THOTH_AUTH_TOKEN_FILE", "THOTH_API_KEY_FILE"]
 * isCredentialVariable("THOTH_TENANT_ID"); // false
 * ```
 */
import { buildThothEnv, THOTH_ENV_VARIABLES, type ThothEnvVariable } from "./quick_thoth_env.ts";
import { Secret } from "./secret.ts";

/** Whether thoth holds the value of `name` as a secret once it has read it. */
function heldAsSecret(name: ThothEnvVariable): boolean {
  const settings = buildThothEnv({ [name]: "probe" });
  return Object.values(settings).some((value) => value instanceof Secret);
}

const SECRETS: readonly ThothEnvVariable[] = THOTH_ENV_VARIABLES.filter(heldAsSecret);

/** The credential variables: the secrets, then the files that hold them. */
export const CREDENTIAL_VARIABLES: readonly ThothEnvVariable[] = [
  ...SECRETS,
  ...THOTH_ENV_VARIABLES.filter((name) =>
    name.endsWith("_FILE") && SECRETS.some((secret) => `${secret}_FILE` === name)
  ),
];

/**
 * Whether `name` is one of {@linkcode CREDENTIAL_VARIABLES}. On Windows,
 * where `thoth_api_key` and `THOTH_API_KEY` are one variable, in any case.
 */
export function isCredentialVariable(name: string, os: string = Deno.build.os): boolean {
  const shown = os === "windows" ? name.toUpperCase() : name;
  return CREDENTIAL_VARIABLES.some((credential) => credential === shown);
}
