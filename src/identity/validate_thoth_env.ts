/**
 * Validates thoth's environment variables with one zod schema and returns the
 * result as data: the typed settings, or every problem found, each naming the
 * variable, its value (secrets, values that look like keys or tokens, and a
 * URL's user and password never shown: see `showEnvValue`) and the rule it
 * broke. Pure: the environment snapshot is passed in, and the OS that decides
 * what an absolute path is (the running one by default).
 *
 * An id variable (`THOTH_TENANT_ID`, `THOTH_FLEET_ID`, the Intune and Jamf
 * ids) whose value one of thoth's key detectors flags is refused, shown by
 * fingerprint only: a key pasted there would otherwise be shown by `thoth
 * health`, sent as the id, and (the tenant) resolved in DNS and written into
 * the audit log for good. A credential file variable (`THOTH_API_KEY_FILE`)
 * that is not an absolute path is shown by fingerprint only too: it may be
 * the credential itself.
 *
 * An empty value counts as unset, the way `export VAR=` is usually meant.
 * `THOTH_APEX_DOMAIN` and `THOTH_ENV` are taken in lowercase (`Example.com`
 * is `example.com`, `PROD` is `prod`), and the lowercased value is the one
 * used. A token (`THOTH_AUTH_TOKEN`, `THOTH_RUNTIME_BEARER_TOKEN`,
 * `THOTH_API_KEY`) in quotes, after `Bearer `, or that is `null`, `true` or
 * a JSON array is refused, saying what to change (see `tokenProblem`).
 * `THOTH_ENFORCER_URL` is accepted and ignored with one warning: the enforcer
 * URL is derived from `THOTH_TENANT_ID` and `THOTH_APEX_DOMAIN`.
 *
 * @example
 * ```ts
 * const result = validateThothEnv({ THOTH_TENANT_ID: "acme" }, "linux");
 * if (result.ok) result.env.tenantId; // "acme"
 * validateThothEnv({ THOTH_HOME: "C:\\Users\\ana\\.thoth" }, "linux").ok; // false
 * ```
 */
import { z } from "zod";
import type { Secret } from "./secret.ts";
import {
  buildThothEnv,
  setThothVariables,
  type ThothEnvVariable,
  thothEnvWarnings,
} from "./quick_thoth_env.ts";
import { showEnvValue } from "./shown_env_value.ts";
import { secretFingerprint } from "./secret_fingerprint.ts";
import { flaggedAsKey, KEY_IN_IDENTIFIER_RULE } from "./id_flagged_as_key.ts";
import {
  absolutePathRule,
  CHECKIN_MAX_SEC,
  CHECKIN_RULE,
  DNS_LABEL,
  DNS_LABEL_RULE,
  DNS_NAME_RULE,
  EMAIL_RULE,
  ENV_NAME,
  ENV_NAME_RULE,
  IDENTIFIER,
  IDENTIFIER_RULE,
  isAbsolutePath,
  isDnsName,
  isEmail,
} from "./_env_rules.ts";
import { tokenProblem } from "./token_problem.ts";

/** thoth's settings from the environment, validated. Unset values are `null`. */
export interface ThothEnv {
  /** `THOTH_TENANT_ID`: the tenant, a DNS label. */
  readonly tenantId: string | null;
  /** `THOTH_USER_ID`: the person, an email address. */
  readonly userId: string | null;
  /** `THOTH_FLEET_ID` */
  readonly fleetId: string | null;
  /** `THOTH_INTUNE_DEVICE_ID` */
  readonly thothIntuneDeviceId: string | null;
  /** `INTUNE_DEVICE_ID` */
  readonly intuneDeviceId: string | null;
  /** `THOTH_JAMF_COMPUTER_ID` */
  readonly thothJamfComputerId: string | null;
  /** `JAMF_COMPUTER_ID` */
  readonly jamfComputerId: string | null;
  /** `THOTH_RUNTIME_BEARER_TOKEN` */
  readonly runtimeBearerToken: Secret | null;
  /** `THOTH_AUTH_TOKEN` */
  readonly authToken: Secret | null;
  /** `THOTH_AUTH_TOKEN_FILE` */
  readonly authTokenFile: string | null;
  /** `THOTH_API_KEY_FILE` (the profile's `proxy_api_key.json` when null) */
  readonly apiKeyFile: string | null;
  /** `THOTH_API_KEY` */
  readonly apiKey: Secret | null;
  /** `THOTH_APEX_DOMAIN` */
  readonly apexDomain: string | null;
  /** `THOTH_ENV`, default `prod` */
  readonly environment: string;
  /** `THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC`, default 60 */
  readonly checkinIntervalSec: number;
  /** `THOTH_HOME` */
  readonly thothHome: string | null;
}

/** One variable that broke its rule. */
export interface EnvProblem {
  readonly variable: string;
  /** The value as it may be shown: quoted, or `(hidden, fingerprint …)` for a secret. */
  readonly shownValue: string;
  readonly rule: string;
  /** `THOTH_TENANT_ID "Acme" is not valid: it must be a DNS label: …` */
  readonly message: string;
}

/** The outcome of {@linkcode validateThothEnv}. */
export type ThothEnvValidation =
  | { readonly ok: true; readonly env: ThothEnv; readonly warnings: readonly string[] }
  | {
    readonly ok: false;
    readonly problems: readonly EnvProblem[];
    readonly warnings: readonly string[];
  };

export { ENFORCER_URL_DEPRECATION, THOTH_ENV_VARIABLES } from "./quick_thoth_env.ts";

export { flaggedAsKey, KEY_IN_IDENTIFIER_RULE };

/** The variables that hold an id (a tenant, a fleet, a device, a computer). */
const IDENTIFIER_VARIABLES: ReadonlySet<string> = new Set([
  "THOTH_TENANT_ID",
  "THOTH_FLEET_ID",
  "THOTH_INTUNE_DEVICE_ID",
  "INTUNE_DEVICE_ID",
  "THOTH_JAMF_COMPUTER_ID",
  "JAMF_COMPUTER_ID",
]);

const identifier = z.string()
  .refine((value) => !flaggedAsKey(value), KEY_IN_IDENTIFIER_RULE)
  .regex(IDENTIFIER, IDENTIFIER_RULE)
  .optional();
const token = z.string().superRefine((value, context) => {
  const problem = tokenProblem(value);
  if (problem !== null) context.addIssue({ code: "custom", message: problem });
}).optional();

/** The schema for `os`, whose rule decides what an absolute path is. */
const envSchema = (os: string) => {
  const absolutePath = z.string().refine((v) => isAbsolutePath(v, os), absolutePathRule(os))
    .optional();
  return z.object({
    THOTH_TENANT_ID: z.string()
      .refine((value) => !flaggedAsKey(value), KEY_IN_IDENTIFIER_RULE)
      .regex(DNS_LABEL, DNS_LABEL_RULE)
      .optional(),
    THOTH_USER_ID: z.string().refine(isEmail, EMAIL_RULE).optional(),
    THOTH_FLEET_ID: identifier,
    THOTH_INTUNE_DEVICE_ID: identifier,
    INTUNE_DEVICE_ID: identifier,
    THOTH_JAMF_COMPUTER_ID: identifier,
    JAMF_COMPUTER_ID: identifier,
    THOTH_RUNTIME_BEARER_TOKEN: token,
    THOTH_AUTH_TOKEN: token,
    THOTH_AUTH_TOKEN_FILE: absolutePath,
    THOTH_API_KEY_FILE: absolutePath,
    THOTH_API_KEY: token,
    THOTH_APEX_DOMAIN: z.string().refine(isDnsName, DNS_NAME_RULE).optional(),
    THOTH_ENV: z.string().regex(ENV_NAME, ENV_NAME_RULE).optional(),
    THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC: z.string()
      .regex(/^[0-9]{1,9}$/, CHECKIN_RULE)
      .transform(Number)
      .refine((n) => n >= 1 && n <= CHECKIN_MAX_SEC, CHECKIN_RULE)
      .optional(),
    THOTH_HOME: absolutePath,
  });
};
const SCHEMAS = new Map<string, ReturnType<typeof envSchema>>();

/**
 * Validates an environment snapshot. Never throws. `os` (default: the
 * running OS) decides what an absolute path is: a Windows path is not one on
 * Linux.
 */
export function validateThothEnv(
  snapshot: Readonly<Record<string, string | undefined>>,
  os: string = Deno.build.os,
): ThothEnvValidation {
  const input = setThothVariables(snapshot);
  const warnings = thothEnvWarnings(snapshot);
  let schema = SCHEMAS.get(os);
  if (schema === undefined) SCHEMAS.set(os, schema = envSchema(os));

  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const seen = new Set<string>();
    const problems: EnvProblem[] = [];
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? "environment");
      if (seen.has(variable)) continue;
      seen.add(variable);
      // Shown as given (THOTH_APEX_DOMAIN and THOTH_ENV are checked in lowercase).
      const value = snapshot[variable] ?? input[variable as ThothEnvVariable] ?? "";
      // A key in an id variable is shown by its fingerprint only, whatever rule it broke.
      const shownValue = IDENTIFIER_VARIABLES.has(variable) && flaggedAsKey(value)
        ? `(value hidden: it looks like a key or token, fingerprint ${secretFingerprint(value)})`
        : showEnvValue(variable, value, os);
      const rule = issue.message;
      problems.push({
        variable,
        shownValue,
        rule,
        message: `${variable} ${shownValue} is not valid: it must be ${rule}`,
      });
    }
    return { ok: false, problems, warnings };
  }
  return { ok: true, warnings, env: buildThothEnv(input) };
}
