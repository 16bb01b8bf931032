/**
 * thoth's environment without the schema library, for `thoth run`: when
 * every variable that is set passes its rule, the settings are built here;
 * when one does not, {@linkcode readThothEnv} loads the full validator
 * (`validate_thoth_env.ts`), which names each problem. Both use the rules of
 * `_env_rules.ts` and {@linkcode buildThothEnv}, and a test holds them to the
 * same answers.
 *
 * @example
 * ```ts
 * const { env, warnings } = await readThothEnv({ THOTH_TENANT_ID: "acme" });
 * env.tenantId; // "acme"
 * ```
 */
import {
  CHECKIN_MAX_SEC,
  DNS_LABEL,
  ENV_NAME,
  IDENTIFIER,
  isAbsolutePath,
  isDnsName,
  isEmail,
  TOKEN,
} from "./_env_rules.ts";
import { Secret } from "./secret.ts";
import type { ParsedThothEnv } from "./thoth_env.ts";
import type { ThothEnv } from "./validate_thoth_env.ts";

/** Every variable thoth reads, in the order they are documented. */
export const THOTH_ENV_VARIABLES = [
  "THOTH_TENANT_ID",
  "THOTH_USER_ID",
  "THOTH_FLEET_ID",
  "THOTH_INTUNE_DEVICE_ID",
  "INTUNE_DEVICE_ID",
  "THOTH_JAMF_COMPUTER_ID",
  "JAMF_COMPUTER_ID",
  "THOTH_RUNTIME_BEARER_TOKEN",
  "THOTH_AUTH_TOKEN",
  "THOTH_AUTH_TOKEN_FILE",
  "THOTH_API_KEY_FILE",
  "THOTH_API_KEY",
  "THOTH_APEX_DOMAIN",
  "THOTH_ENV",
  "THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC",
  "THOTH_HOME",
] as const;

/** One of {@linkcode THOTH_ENV_VARIABLES}. */
export type ThothEnvVariable = (typeof THOTH_ENV_VARIABLES)[number];

/** The warning printed once when the deprecated `THOTH_ENFORCER_URL` is set. */
export const ENFORCER_URL_DEPRECATION =
  "THOTH_ENFORCER_URL is deprecated and ignored: the enforcer URL is derived from " +
  "THOTH_TENANT_ID and THOTH_APEX_DOMAIN";

/** Whether an id value is a key pasted in its place (see `id_flagged_as_key.ts`). */
type KeyCheck = (value: string) => boolean;

/**
 * Whether an id may be a key, before the detectors are loaded: only an id of
 * capital letters only cannot be one (`flaggedAsKey` never flags it), so such
 * an id is judged here, and any other is judged by the detectors (see
 * `readThothEnv`).
 */
const mayBeKey: KeyCheck = (value) => !/^[A-Z]+$/.test(value);

const token = (v: string) => TOKEN.test(v);

const absolute = (os: string) => (v: string) => isAbsolutePath(v, os);

/**
 * Each variable's rule; the path rules depend on the OS. An id (the tenant's
 * too) must not be a key pasted in its place (`isKey`).
 */
const rulesFor = (
  os: string,
  isKey: KeyCheck,
): Readonly<Record<ThothEnvVariable, (value: string) => boolean>> => {
  const identifier = (v: string) => IDENTIFIER.test(v) && !isKey(v);
  return {
    THOTH_TENANT_ID: (v) => DNS_LABEL.test(v) && !isKey(v),
    THOTH_USER_ID: isEmail,
    THOTH_FLEET_ID: identifier,
    THOTH_INTUNE_DEVICE_ID: identifier,
    INTUNE_DEVICE_ID: identifier,
    THOTH_JAMF_COMPUTER_ID: identifier,
    JAMF_COMPUTER_ID: identifier,
    THOTH_RUNTIME_BEARER_TOKEN: token,
    THOTH_AUTH_TOKEN: token,
    THOTH_AUTH_TOKEN_FILE: absolute(os),
    THOTH_API_KEY_FILE: absolute(os),
    THOTH_API_KEY: token,
    THOTH_APEX_DOMAIN: isDnsName,
    THOTH_ENV: (v) => ENV_NAME.test(v),
    THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: (v) =>
      /^[0-9]{1,9}$/.test(v) && Number(v) >= 1 && Number(v) <= CHECKIN_MAX_SEC,
    THOTH_HOME: absolute(os),
  };
};

/** The variables that are set (an empty value counts as unset). */
export function setThothVariables(
  snapshot: Readonly<Record<string, string | undefined>>,
): Partial<Record<ThothEnvVariable, string>> {
  const input: Partial<Record<ThothEnvVariable, string>> = {};
  for (const name of THOTH_ENV_VARIABLES) {
    const value = snapshot[name];
    if (value !== undefined && value !== "") input[name] = value;
  }
  return input;
}

/** The warnings any environment earns, valid or not. */
export function thothEnvWarnings(snapshot: Readonly<Record<string, string | undefined>>): string[] {
  const enforcerUrl = snapshot["THOTH_ENFORCER_URL"];
  return enforcerUrl !== undefined && enforcerUrl !== "" ? [ENFORCER_URL_DEPRECATION] : [];
}

/** The settings from variables that passed their rules. */
export function buildThothEnv(v: Partial<Record<ThothEnvVariable, string>>): ThothEnv {
  const secret = (value: string | undefined) => value === undefined ? null : new Secret(value);
  const checkin = v.THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC;
  return {
    tenantId: v.THOTH_TENANT_ID ?? null,
    userId: v.THOTH_USER_ID ?? null,
    fleetId: v.THOTH_FLEET_ID ?? null,
    thothIntuneDeviceId: v.THOTH_INTUNE_DEVICE_ID ?? null,
    intuneDeviceId: v.INTUNE_DEVICE_ID ?? null,
    thothJamfComputerId: v.THOTH_JAMF_COMPUTER_ID ?? null,
    jamfComputerId: v.JAMF_COMPUTER_ID ?? null,
    runtimeBearerToken: secret(v.THOTH_RUNTIME_BEARER_TOKEN),
    authToken: secret(v.THOTH_AUTH_TOKEN),
    authTokenFile: v.THOTH_AUTH_TOKEN_FILE ?? null,
    apiKeyFile: v.THOTH_API_KEY_FILE ?? null,
    apiKey: secret(v.THOTH_API_KEY),
    apexDomain: v.THOTH_APEX_DOMAIN ?? null,
    environment: v.THOTH_ENV ?? "prod",
    checkinIntervalSec: checkin === undefined ? 60 : Number(checkin),
    thothHome: v.THOTH_HOME ?? null,
  };
}

/**
 * The settings when every variable that is set passes its rule; undefined
 * otherwise. `os` (default: the running OS) decides what an absolute path is.
 */
export function quickThothEnv(
  snapshot: Readonly<Record<string, string | undefined>>,
  os: string = Deno.build.os,
  isKey: KeyCheck = mayBeKey,
): ParsedThothEnv | undefined {
  const input = setThothVariables(snapshot);
  const rules = rulesFor(os, isKey);
  for (const name of THOTH_ENV_VARIABLES) {
    const value = input[name];
    if (value !== undefined && !rules[name](value)) return undefined;
  }
  return { env: buildThothEnv(input), warnings: thothEnvWarnings(snapshot) };
}

/** The validated settings; throws `identity.invalid_env` naming each bad variable. */
export async function readThothEnv(
  snapshot: Readonly<Record<string, string | undefined>>,
  os: string = Deno.build.os,
): Promise<ParsedThothEnv> {
  const quick = quickThothEnv(snapshot, os);
  if (quick !== undefined) return quick;
  // An id is judged by the key detectors, without the schema library: not a
  // key, it keeps the quick path.
  const { flaggedAsKey } = await import("./id_flagged_as_key.ts");
  const judged = quickThothEnv(snapshot, os, flaggedAsKey);
  if (judged !== undefined) return judged;
  const { parseThothEnv } = await import("./thoth_env.ts");
  return parseThothEnv(snapshot, os);
}
