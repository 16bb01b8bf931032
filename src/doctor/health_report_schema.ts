/**
 * The `thoth health --json` contract for fleet tools (MDM, EDR), as one zod
 * schema. `schemas/health.schema.json` is generated from it by
 * `scripts/gen_health_schema.ts`; a test keeps the two equal.
 *
 * Stability: fields are only added; a change that removes or retypes a field
 * bumps `schema_version`. Every field is always present; "unknown" is `null`.
 * No secret is ever included: credentials appear by source and fingerprint.
 *
 * @example
 * ```ts
 * const report = HealthReportSchema.parse(JSON.parse(stdout));
 * report.endpoint.source; // "os_machine_id"
 * ```
 */
import { z } from "zod";
import { HealthAuditSchema } from "./health_audit_schema.ts";
import { HealthClientSchema } from "./health_client_schema.ts";
import { HEALTH_SCHEMA_VERSION } from "./health_schema_version.ts";

const isoTime = z.iso.datetime({ offset: true });
const nullableString = z.string().nullable();

/** The schema of `thoth health --json` output. */
export const HealthReportSchema = z.object({
  schema_version: z.literal(HEALTH_SCHEMA_VERSION).describe(
    "Bumped on any incompatible change; 2 since tenant.environment may be null (an invalid THOTH_ENV)",
  ),
  generated_at: isoTime.describe("When the report was made (ISO 8601)"),
  thoth: z.object({
    version: z.string(),
    target: z.string().describe("Build target triple, e.g. aarch64-apple-darwin"),
    commit: z.string().describe('Commit the binary was built from, or "source"'),
  }),
  sandbox: z.object({
    compiled: z.boolean().nullable().describe(
      "Whether this thoth is a compiled binary (deno compile), not thoth run from source by " +
        "deno; null when not checked",
    ),
    granted: z.array(z.string()).describe(
      "The permission kinds granted whole (read, write, net, env, sys, run, ffi, import), then " +
        'each granted value of a kind thoth\'s permission set grants only in part ("sys:uid")',
    ),
    missing: z.array(z.string()).describe(
      'What thoth\'s permission set (deno.json "permissions" → "thoth", which release binaries ' +
        'are built with) names and this thoth was not granted: a kind ("run") or one value ' +
        '("sys:uid"); thoth run needs all of it for every session',
    ),
    broader: z.array(z.string()).describe(
      "Kinds granted whole beyond thoth's permission set (ffi, import, all of sys)",
    ),
    all_permissions: z.boolean().describe(
      "Whether every kind is granted whole: -A, --allow-all or the like",
    ),
    started: z.boolean().nullable().describe(
      "Whether the proxy core's sandbox started when tried (a Worker with the permissions of a " +
        "session without a server, in a thoth started for it: this compiled thoth, or thoth from " +
        "source with its launch command); null when it was not tried",
    ),
    ok: z.boolean().describe(
      "False when thoth doctor's sandbox check fails: something is missing, or the sandbox did " +
        "not start; every thoth run session then fails",
    ),
    problem: nullableString.describe("Why it is not ok; null when ok"),
    warning: nullableString.describe(
      "What doctor warns about (more than thoth's permission set, a sandbox not tried); null " +
        "when nothing",
    ),
    hint: nullableString.describe("What to do about problem or warning; null when neither"),
  }).describe("What this thoth may do, and whether the proxy core's sandbox starts"),
  endpoint: z.object({
    id: nullableString.describe(
      "The endpoint id thoth run records; null when no source had one, or when a managed device " +
        "id variable is set but invalid (see problem)",
    ),
    source: z.enum(["managed_device_id", "os_machine_id", "hostname"]).nullable()
      .describe("Which source produced the id, in the resolution order"),
    origin: nullableString.describe(
      "The variable, file or registry value used, e.g. THOTH_INTUNE_DEVICE_ID, /etc/machine-id; " +
        "with problem, the invalid variable",
    ),
    problem: nullableString.describe(
      "Why there is no id: the managed device id variable that decides is set but invalid " +
        "(its value shown by fingerprint when it looks like a key); thoth run refuses to start " +
        "then, and no later source stands in; null otherwise",
    ),
  }),
  tenant: z.object({
    id: nullableString.describe(
      "THOTH_TENANT_ID; null when unset or invalid (then named in environment.invalid_variables); " +
        "reported whenever it is valid, even beside another variable that is not",
    ),
    apex_domain: nullableString.describe("THOTH_APEX_DOMAIN; null when unset or invalid"),
    environment: z.string().nullable().describe(
      "THOTH_ENV (default prod); null when THOTH_ENV is set but invalid (see environment.problems): " +
        "never the default then",
    ),
    fleet_id: nullableString.describe("THOTH_FLEET_ID; null when unset or invalid"),
    control_plane_url: nullableString.optional().describe(
      "The tenant's control plane (the reference's govapi_url), derived as " +
        "https://<tenant>.<apex> from THOTH_TENANT_ID and THOTH_APEX_DOMAIN, as enforcer.url " +
        "and fleet.registration_url are; null without both valid; always present from this " +
        "build, absent from an earlier release's report",
    ),
  }),
  user: z.object({
    id: nullableString.describe(
      "THOTH_USER_ID; null when unset or invalid; reported whenever it is valid, even beside " +
        "another variable that is not",
    ),
  }),
  profile: z.object({
    path: z.string().describe("The profile folder: THOTH_HOME, else ~/.thoth"),
    ok: z.boolean().describe(
      "Whether the profile could be set up and is private, as thoth doctor's profile check sees it",
    ),
    problem: nullableString.describe("What is wrong with it; null when ok"),
    hint: nullableString.describe("What to run or fix when it is not ok"),
  }),
  environment: z.object({
    valid: z.boolean().describe(
      "Whether thoth run would accept the environment (its variables and the identity they make up)",
    ),
    problems: z.array(z.string()).describe(
      "One sentence per invalid variable (or missing identity); secrets and values that look like " +
        "them by fingerprint",
    ),
    invalid_variables: z.array(z.string()).describe(
      "The variables that break their rule, by name (e.g. THOTH_ENV); each one's value is " +
        "reported as null, never as a default. Any of them makes thoth run refuse every server",
    ),
    warnings: z.array(z.string()),
  }),
  credentials: z.object({
    present: z.boolean(),
    kind: z.enum(["bearer", "api_key"]).nullable(),
    source: z.enum([
      "THOTH_RUNTIME_BEARER_TOKEN",
      "THOTH_AUTH_TOKEN",
      "THOTH_AUTH_TOKEN_FILE",
      "session_file",
      "THOTH_API_KEY",
      "THOTH_API_KEY_FILE",
      "default_api_key_file",
    ]).nullable().describe(
      "Where the credential came from: a variable's name (only when that variable is set), " +
        '"session_file" (the tenant\'s session file), or "default_api_key_file" (the ' +
        "profile's proxy_api_key.json, THOTH_API_KEY_FILE being unset)",
    ),
    fingerprint: z.string().regex(/^[0-9a-f]{8}$/).nullable()
      .describe("First 8 hex digits of the SHA-256 of the credential"),
    expires_at: isoTime.nullable(),
    expired: z.boolean().nullable(),
    problem: nullableString.describe("Why the credential could not be read, if it could not"),
  }),
  clients: z.array(HealthClientSchema).nullable().describe(
    "null when this build cannot discover client configs",
  ),
  client_places: z.object({
    checked: z.array(z.object({
      client: z.string(),
      path: z.string(),
      scope: z.enum(["user", "project"]),
      found: z.boolean().describe("Whether something is at path; each found one is in clients"),
    })).describe(
      "Every place looked at: each client's user config (VS Code's mcp.json and settings.json), " +
        "and the project configs of the folders ~/.claude.json lists",
    ),
    not_checked: z.array(z.string()).describe(
      "Places a client may read that were not looked at, in words",
    ),
  }).nullable().describe(
    "Where clients were looked for; null when this build cannot say (or cannot discover them)",
  ),
  policy: z.object({
    path: z.string(),
    present: z.boolean(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable()
      .describe(
        "SHA-256 of the policy file's bytes; null when absent, or when it could not be read " +
          "(too large, not a regular file, no permission)",
      ),
    valid: z.boolean().describe(
      "Whether thoth run can use the policy it would read (the built-in default when absent); " +
        "false means every governed server is refused",
    ),
    problem: nullableString.describe("Why the policy cannot be used; null when valid"),
    notes: z.array(z.object({
      code: z.literal("policy.earlier_default_rule"),
      rule: z.string().describe('The rule\'s id, e.g. "delete-like"'),
      message: z.string().describe("What the rule does that the current default's does not"),
      remedy: z.string().describe("How to take the current default's rule"),
    })).nullable().optional().describe(
      "Rules of a valid policy that an earlier release's default policy wrote and the current " +
        "default changed, as thoth policy check --json lists them (thoth doctor's policy check " +
        "warns of the first): they are in force as written, and valid stays true; [] when none (or " +
        "no policy file: the built-in default applies); null when the policy was not read or " +
        "is not valid; always present from this build, absent from an earlier release's report",
    ),
  }),
  intent_map: z.object({
    path: z.string(),
    present: z.boolean().describe("Whether something is at the path"),
    servers: z.number().int().min(0).nullable().describe(
      "How many servers it maps to a session intent; null when it is absent or not read",
    ),
    valid: z.boolean().describe(
      "Whether thoth run can use it (an absent map is valid: no server has a mapped intent); " +
        "false means thoth run refuses the servers it names, or every server without --intent " +
        "when it cannot be read",
    ),
    problem: nullableString.describe(
      "Why thoth run refuses servers over it, naming them; null when valid",
    ),
    warning: nullableString.describe(
      "What thoth run warns about (a key that is a server's name rather than its agent id); " +
        "null when none",
    ),
    hint: nullableString.describe("What to do about problem or warning; null when neither"),
  }),
  audit: HealthAuditSchema,
  progressive: z.object({
    path: z.string().describe("THOTH_HOME/state/progressive.json"),
    status: z.enum(["absent", "ok", "counts_lost", "unreadable", "unknown"]).describe(
      '"absent": no counters yet; "ok": readable; "counts_lost": the counters were lost, so ' +
        "every violation in progressive mode is blocked, not counted from zero, for one window " +
        '(thoth doctor warns); "unreadable": a file a session moves aside (losing the counts) ' +
        "or a state folder it cannot use, which blocks violations (thoth doctor fails); " +
        '"unknown": not checked',
    ),
    entries: z.number().int().min(0).nullable().describe(
      "How many (server, user, rule) counters the file holds; null when it is not read",
    ),
    distrust_until: isoTime.nullable().describe(
      "Until when the file's counts-lost mark blocks violations; null when no mark is in force",
    ),
    moved_aside: nullableString.describe(
      "The newest unreadable file a session moved aside (progressive.json.unreadable-<time>); " +
        "null when none",
    ),
    problem: nullableString.describe("Why the counters cannot be used; null unless unreadable"),
    warning: nullableString.describe("What the counts-lost mark means; null unless counts_lost"),
    hint: nullableString.describe("What to do about problem or warning; null when neither"),
  }).describe("The progressive mode's violation counters, read without changing them"),
  fleet: z.object({
    last_checkin_at: isoTime.nullable().describe(
      "Last successful fleet check-in; always null from this build, which does not check in " +
        "(see registration)",
    ),
    registration: z.enum(["not_implemented"]).describe(
      'Whether this endpoint registers with the fleet and checks in: "not_implemented" means ' +
        "this build never does, whatever THOTH_TENANT_ID, THOTH_FLEET_ID and " +
        "THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC say; the fleet does not learn of this endpoint " +
        "from thoth",
    ),
    fleet_id: nullableString.describe("THOTH_FLEET_ID as set; not used by this build"),
    checkin_interval_sec: z.number().int().min(1).nullable().describe(
      "THOTH_ENDPOINT_CHECKIN_INTERVAL_SEC (default 60); not used by this build; null when " +
        "that variable is invalid",
    ),
    registration_url: nullableString.describe(
      "The derived https://grid.<tenant>.<apex>/v1/endpoints/register; null without both; " +
        "never contacted by this build",
    ),
  }).describe("Fleet registration and check-ins"),
  enforcer: z.object({
    url: nullableString.describe(
      "Derived https://enforce.<tenant>.<apex>; null without both; not used for decisions by " +
        "this build (see in_use)",
    ),
    reachability: z.enum([
      "not_probed",
      "not_configured",
      "reachable",
      "unhealthy",
      "unresolvable",
      "unreachable",
    ])
      .describe(
        "Only probed with --probe; otherwise not_probed. not_configured when no tenant or no " +
          "apex domain is set; not_probed, with --probe too, when both are set but the " +
          "environment is invalid (detail names the invalid variables; doctor says not " +
          "checked). " +
          "Says whether the enforcer answers, " +
          "not that it governs this endpoint (see in_use): reachable for a healthy answer " +
          "(2xx, a 4xx such as 401, 403 or 404, a redirect on its own origin); unhealthy for " +
          "an answer as a failing or throttling server gives (5xx, 429, 407, 421; doctor " +
          "warns, detail names the status); unresolvable when the DNS lookup fails or times " +
          "out; unreachable when nothing answers or a redirect leads elsewhere",
      ),
    detail: nullableString,
    in_use: z.boolean().describe(
      "Whether thoth run sends tools/call to this enforcer for a decision: always false from " +
        "this build, which decides every call with the local policy, tenant or not",
    ),
    decisions: z.enum(["local_policy"]).describe(
      'Who decides each tools/call: "local_policy" is the policy thoth run reads on this ' +
        "machine (see policy), not the tenant's enforcer",
    ),
  }),
}).meta({
  title: "thoth health report",
  description: "Output of `thoth health --json`: identity, credentials, governance and audit " +
    "state of one endpoint, for fleet tools to poll",
});

/** A health report. */
export type HealthReport = z.infer<typeof HealthReportSchema>;
