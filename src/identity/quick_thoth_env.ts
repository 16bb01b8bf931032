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
import { editDistance } from "../edit_distance.ts";
import {
  CHECKIN_MAX_SEC,
  DNS_LABEL,
  ENV_NAME,
  IDENTIFIER,
  isAbsolutePath,
  isDnsName,
  isEmail,
} from "./_env_rules.ts";
import { tokenProblem } from "./token_problem.ts";
import { Secret } from "./secret.ts";
import { secretFingerprint } from "./secret_fingerprint.ts";
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

/**
 * The warning printed once when the deprecated `THOTH_ENFORCER_URL` is set
 * (`--enforcer-url` says it of itself). It says the derived enforcer is not
 * used either, so that no one takes it for the enforcer that decides calls.
 */
export const ENFORCER_URL_DEPRECATION =
  "THOTH_ENFORCER_URL is deprecated and ignored: the enforcer URL is derived from " +
  "THOTH_TENANT_ID and THOTH_APEX_DOMAIN, and is not used by this build: every call is " +
  "decided by the local policy";

/** Whether an id value is a key pasted in its place (see `id_flagged_as_key.ts`). */
type KeyCheck = (value: string) => boolean;

/**
 * Whether an id may be a key, before the detectors are loaded: only an id of
 * capital letters only cannot be one (`flaggedAsKey` never flags it), so such
 * an id is judged here, and any other is judged by the detectors (see
 * `readThothEnv`).
 */
const mayBeKey: KeyCheck = (value) => !/^[A-Z]+$/.test(value);

const token = (v: string) => tokenProblem(v) === null;

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

/**
 * The variables taken in lowercase before their rule is checked, and used so
 * everywhere (derived URLs, the session record): a DNS name is
 * case-insensitive, and `PROD` is the environment `prod`.
 */
const LOWERCASED: ReadonlySet<ThothEnvVariable> = new Set(["THOTH_APEX_DOMAIN", "THOTH_ENV"]);

/**
 * The variables that are set (an empty value counts as unset), as thoth takes
 * them: `THOTH_APEX_DOMAIN` and `THOTH_ENV` in lowercase.
 *
 * @example
 * ```ts
 * setThothVariables({ THOTH_APEX_DOMAIN: "Example.com", THOTH_USER_ID: "" });
 * // { THOTH_APEX_DOMAIN: "example.com" }
 * ```
 */
export function setThothVariables(
  snapshot: Readonly<Record<string, string | undefined>>,
): Partial<Record<ThothEnvVariable, string>> {
  const input: Partial<Record<ThothEnvVariable, string>> = {};
  for (const name of THOTH_ENV_VARIABLES) {
    const value = snapshot[name];
    if (value === undefined || value === "") continue;
    input[name] = LOWERCASED.has(name) ? value.toLowerCase() : value;
  }
  return input;
}

/**
 * The THOTH_* names thoth knows besides {@linkcode THOTH_ENV_VARIABLES}: read
 * or set by thoth itself, so never reported as unknown. A test holds this
 * list to every `"THOTH_…"` name in `src/`.
 */
export const OTHER_THOTH_VARIABLES = [
  // Deprecated and ignored, with a warning of its own (ENFORCER_URL_DEPRECATION).
  "THOTH_ENFORCER_URL",
  // wrap-config's record in a server's "env" (config/wrap_record.ts): thoth run gets it too.
  "THOTH_WRAP",
  // The release tools (src/release/).
  "THOTH_RELEASE_SIGNING_KEY",
  "THOTH_RELEASE_VERIFIER_KEY",
  "THOTH_RELEASE_MANIFEST_URL",
  // Set by thoth for the macOS and Windows approval dialogs it starts (approval/dialog_command.ts).
  "THOTH_APPROVAL_TEXT",
  // Set by thoth run in the governed server's environment, so that thoth approvals refuses
  // to answer from inside it (proxy/upstream_spawn.ts, approval/governed_caller.ts).
  "THOTH_GOVERNED_BY",
] as const;

/** Every THOTH_* name thoth reads or sets. */
export const KNOWN_THOTH_VARIABLES: ReadonlySet<string> = new Set<string>([
  ...THOTH_ENV_VARIABLES.filter((name) => name.startsWith("THOTH_")),
  ...OTHER_THOTH_VARIABLES,
]);

/**
 * Unknown names that stand for a `thoth run` flag (thoth takes these only as
 * flags, never from the environment), and what to use instead.
 */
const FLAG_VARIABLES: Readonly<Record<string, string>> = {
  THOTH_INTENT: 'the "thoth run --intent" flag or the intent map (intent_map.json)',
  THOTH_SESSION_INTENT: 'the "thoth run --intent" flag or the intent map (intent_map.json)',
  THOTH_ENFORCEMENT_MODE: 'the "thoth run --enforcement-mode" flag',
  THOTH_MODE: 'the "thoth run --enforcement-mode" flag',
  THOTH_AGENT_ID: 'the "thoth run --agent-id" flag',
  THOTH_POLICY: 'the "thoth run --policy" flag',
  THOTH_POLICY_FILE: 'the "thoth run --policy" flag',
  THOTH_MAX_LINE_BYTES: 'the "thoth run --max-line-bytes" flag',
  THOTH_SHUTDOWN_GRACE_MS: 'the "thoth run --shutdown-grace-ms" flag',
  THOTH_AUDIT_SYNC: 'the "thoth run --audit-sync" flag',
  THOTH_APPROVAL_TIMEOUT: 'the "thoth run --approval-timeout" flag',
};

/** The most unknown names one warning lists. */
const MAX_UNKNOWN_LISTED = 10;

/**
 * The THOTH_* variables set (to anything but "") that thoth does not read,
 * sorted: a misspelling (`THOTH_TENNANT_ID`) or an invented setting
 * (`THOTH_INTENT`) that would otherwise be ignored in silence.
 *
 * @example
 * ```ts
 * unknownThothVariables({ THOTH_INTENT: "x", THOTH_HOME: "/h" }); // ["THOTH_INTENT"]
 * ```
 */
export function unknownThothVariables(
  snapshot: Readonly<Record<string, string | undefined>>,
): string[] {
  return Object.keys(snapshot).filter((name) =>
    name.startsWith("THOTH_") && !KNOWN_THOTH_VARIABLES.has(name) &&
    snapshot[name] !== undefined && snapshot[name] !== ""
  ).sort();
}

/**
 * The warning for the unknown THOTH_* variables of `snapshot` (see
 * {@linkcode unknownThothVariables}): one line naming each (never its value)
 * and, where one stands for a flag or is close to a known variable, what to
 * use instead; undefined when there are none.
 *
 * @example
 * ```ts
 * unknownThothVariablesWarning({ THOTH_TENNANT_ID: "acme" });
 * // 'unknown variable THOTH_TENNANT_ID (did you mean THOTH_TENANT_ID?) is set and ignored: …'
 * ```
 */
export function unknownThothVariablesWarning(
  snapshot: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const names = unknownThothVariables(snapshot);
  if (names.length === 0) return undefined;
  const listed = names.slice(0, MAX_UNKNOWN_LISTED).map((name) => {
    const advice = unknownVariableAdvice(name);
    return advice === undefined
      ? shownVariableName(name)
      : `${shownVariableName(name)} (${advice})`;
  });
  const more = names.length > listed.length ? ` and ${names.length - listed.length} more` : "";
  const which = names.length === 1 ? "variable" : "variables";
  const verb = names.length === 1 ? "is" : "are";
  return `unknown ${which} ${listed.join(", ")}${more} ${verb} set and ignored: thoth reads no ` +
    `such variable, so ${names.length === 1 ? "it changes" : "they change"} nothing; ` +
    `remove ${names.length === 1 ? "it" : "them"} from the environment (or the MCP client's ` +
    '"env" block)';
}

/**
 * What to use instead of the unknown variable `name`: the flag it stands
 * for, or the known variable it is a near miss of (two edits or fewer, or
 * the same but for case); undefined when neither.
 */
export function unknownVariableAdvice(name: string): string | undefined {
  const flag = FLAG_VARIABLES[name.toUpperCase()];
  if (flag !== undefined) return `use ${flag} instead`;
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_THOTH_VARIABLES) {
    if (known === "THOTH_ENFORCER_URL" || known === "THOTH_APPROVAL_TEXT") continue;
    const distance = known === name.toUpperCase() ? 0 : editDistance(name, known, { limit: 2 });
    if (distance <= 2 && (best === undefined || distance < best.distance)) {
      best = { name: known, distance };
    }
  }
  return best === undefined ? undefined : `did you mean ${best.name}?`;
}

/** A variable name as a warning shows it: as is, or by fingerprint when it may hold a key. */
function shownVariableName(name: string): string {
  const plain = /^THOTH_[A-Za-z0-9_]{1,64}$/.test(name) &&
    !name.split("_").some((part) => part.length >= 20 && /[0-9]/.test(part));
  return plain
    ? name
    : `(a THOTH_ name hidden: it may hold a key, fingerprint ${secretFingerprint(name)})`;
}

/** The warnings any environment earns, valid or not. */
export function thothEnvWarnings(snapshot: Readonly<Record<string, string | undefined>>): string[] {
  const enforcerUrl = snapshot["THOTH_ENFORCER_URL"];
  const unknown = unknownThothVariablesWarning(snapshot);
  return [
    ...(enforcerUrl !== undefined && enforcerUrl !== "" ? [ENFORCER_URL_DEPRECATION] : []),
    ...(unknown === undefined ? [] : [unknown]),
  ];
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
  // The schema library, for an environment the rules refuse: imported by a computed URL, so
  // thoth run's module graph does not list it (see src/cli/unlisted_module.ts).
  const { parseThothEnv } = await import(
    new URL("./thoth_env.ts", import.meta.url).href
  ) as typeof import("./thoth_env.ts");
  return parseThothEnv(snapshot, os);
}
