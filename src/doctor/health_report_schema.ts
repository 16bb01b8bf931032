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
  clients: z.array(z.object({
    client: z.string().describe(
      'Client id as "thoth status --client" takes it, e.g. claude-desktop',
    ),
    config_path: z.string(),
    scope: z.enum(["user", "project"]).nullable().describe(
      'Whose config: "user" (the client\'s own), "project" (a project folder\'s, such as ' +
        ".mcp.json); null when discovery does not say",
    ),
    governed: z.array(z.string()).describe(
      "Server names started through thoth run, judged from the entry (its command is named " +
        "thoth, is this thoth, or has a THOTH_WRAP record naming it); the command is not run " +
        "here: thoth doctor checks that it answers as thoth. A server whose thoth command is not " +
        "found is here too, and in not_startable: it will not start",
    ),
    ungoverned: z.array(z.string()).describe(
      "Local (stdio) server names not started through thoth run: running without thoth, " +
        'or listed in not_understood; an entry that says "disabled": true is listed too (Claude ' +
        "Code ignores disabled, other clients start it again with one switch)",
    ),
    disabled: z.array(z.string()).describe(
      'Server names whose entry says "disabled": true; each is also in governed, ungoverned ' +
        "or not_applicable, as if enabled",
    ),
    remote: z.array(z.string()).describe(
      "Remote server names (url, serverUrl, type http/sse): not governed, thoth governs stdio " +
        "servers only; each is also in not_applicable, and in neither governed nor ungoverned",
    ),
    not_applicable: z.array(z.object({
      name: z.string(),
      kind: z.enum(["remote", "invalid"]).describe(
        '"remote": reached over the network; "invalid": the entry has no command to start',
      ),
      note: z.string().describe("Why, in words"),
    })).describe("Servers the client does not start as local commands"),
    not_understood: z.array(z.object({
      name: z.string(),
      note: z.string().describe(
        'Why, as thoth status words it: "thoth entry not understood: <reason>"',
      ),
    })).describe(
      "Servers whose command names thoth in a shape thoth status cannot read " +
        '("state": "not_understood"); each is also in ungoverned',
    ),
    refused: z.array(z.object({
      name: z.string(),
      reasons: z.array(z.string()).describe("What thoth run would say, naming the fix"),
    })).describe(
      "Servers that run through thoth but that thoth run would refuse to start (a flag, the " +
        "environment, the policy, the intent map); each is also in governed",
    ),
    warnings: z.array(z.object({
      name: z.string(),
      warnings: z.array(z.string()).describe("What thoth run would warn, as thoth status words it"),
    })).describe(
      "Servers that run through thoth and start, but that thoth run warns about as it starts " +
        "them (an intent map key that differs from the agent id only by case: it runs without " +
        "a session intent); each is also in governed",
    ),
    not_startable: z.array(z.object({
      name: z.string(),
      command: z.string().describe(
        "The command that is not there: the entry's command (thoth itself for a governed " +
          "entry), or the upstream command after thoth run --",
      ),
      problem: z.string().describe(
        "Why, in words: an absolute path that is no executable file, or a name not found on the " +
          "PATH the client starts the entry with (thoth doctor's lookup; nothing is started)",
      ),
    })).describe(
      "Servers that cannot start because a command they run is not found; a governed entry " +
        "whose thoth command is not found stays in governed (thoth wrap-config writes this " +
        "thoth's path into it)",
    ),
    problem: nullableString.describe(
      "Why the config cannot be read as the client reads it (not a regular file, invalid JSON, " +
        'a key such as "mcpServers" given twice), so its servers are unknown and the lists above ' +
        "are empty; null when it was read",
    ),
    hint: nullableString.describe("What to do about problem; null when there is none"),
  })).nullable().describe("null when this build cannot discover client configs"),
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
  audit: z.object({
    status: z.enum(["ok", "degraded", "missing", "unknown"]).describe(
      '"ok": the log\'s end matches its state file, and the writer could write it and use its ' +
        'keys; "degraded": the log is damaged, changed or lost records, or cannot be checked; ' +
        "or a file or folder of THOTH_HOME/audit is not one the writer can write (every " +
        "governed tool call is then refused); or a private key (keys/audit-signing.key, " +
        "keys/audit-hmac.key) is missing beside a log that holds records, or the signing key " +
        "is not one the log trusts (message says which, hint what to do); " +
        '"missing": no log yet; "unknown": not checked',
    ),
    last_sequence: z.number().int().min(0).nullable(),
    last_checkpoint_at: isoTime.nullable(),
    verified: z.boolean().nullable(),
    message: nullableString.describe("What the audit check found, in words; null when unknown"),
    hint: nullableString.describe("What to run or fix when the status is not ok"),
    spool_waiting: z.object({
      files: z.number().int().min(1).describe("How many spool files wait"),
      due: z.number().int().min(0).describe(
        "How many are older than the orphan age (60 s): left by sessions that ended (or were " +
          "killed) before they wrote them into the log; the next thoth session to start, or a " +
          "running one within a minute, takes them in. thoth doctor warns of these",
      ),
      oldest_age_sec: z.number().int().min(0).describe("The age of the oldest, in seconds"),
    }).nullable().describe(
      "Records that gate a call (decisions, approvals) written to a session's spool " +
        "(THOTH_HOME/audit/spool) but not yet to the chained log, in files older than a few " +
        "seconds; null when none wait, or when the spool was not looked at (see message). They " +
        "do not change status: the log itself is as status says",
    ),
    spool_refused: z.object({
      files: z.number().int().min(1).describe("How many refused spool files are kept"),
      oldest: z.string().describe("The name of the oldest (by mtime), in THOTH_HOME/audit/spool"),
      oldest_age_sec: z.number().int().min(0).describe("The age of the oldest, in seconds"),
    }).nullable().optional().describe(
      "Spool files a session refused and set aside (THOTH_HOME/audit/spool/*.refused*): a " +
        "line thoth could not vouch for (no MAC, a MAC that fails, a line missing or moved), " +
        "so none of their records was taken into the log; a spool_refused record in the log " +
        "names each (thoth audit verify warns of it). Kept for a person to look at: they may " +
        "hold records of a killed session of an earlier release, or forged lines. thoth " +
        "doctor warns of them until they are moved out of the spool folder; null when there " +
        "are none, or when the spool was not looked at; absent from an earlier release's " +
        "report. They do not change status",
    ),
    lost_tallies: z.object({
      folder_problem: nullableString.describe(
        "Why THOTH_HOME/audit/lost cannot hold a session's lost tally (something other than a " +
          "folder stands there, a symbolic link among them, which is never followed; or the " +
          "user thoth runs as cannot list, enter or write it, tried, not told from the uid): a " +
          "session then keeps no tally, " +
          "so a decision or approval it loses (when even its audit spool cannot take it) " +
          "leaves no trace once it is killed; thoth run says so on stderr when it starts and " +
          "thoth doctor warns; null when it can (or it does not exist yet: a session makes it)",
      ),
      folder_fix: nullableString.describe(
        "The command that fixes folder_problem (look at what stands there first); null when " +
          "folder_problem is",
      ),
      refused: z.object({
        files: z.number().int().min(1).describe("How many refused lost tallies are kept"),
        oldest: z.string().describe(
          "The name of the oldest (by mtime), in THOTH_HOME/audit/lost/refused",
        ),
        oldest_age_sec: z.number().int().min(0).describe("The age of the oldest, in seconds"),
      }).nullable().describe(
        "Lost tallies a session refused and set aside (THOTH_HOME/audit/lost/refused): a MAC " +
          "that fails or is missing, another session's name, or no tally at all, so nothing " +
          "they count was taken into the log; a spool_refused record in the log names each " +
          "(thoth audit verify warns of it). thoth doctor warns of them until they are moved " +
          "out of that folder; null when there are none",
      ),
      unchecked: z.number().int().min(0).describe(
        "How many lost tallies of sessions that ended count losses under a MAC that cannot be " +
          "checked here (THOTH_HOME/keys/audit-hmac.key cannot be read): no session takes them " +
          "in or removes them until one that can read the key runs; thoth doctor warns; 0 when " +
          "none (or the key can be read)",
      ),
      waiting: z.number().int().min(0).optional().describe(
        "How many lost tallies of sessions that ended count losses under a MAC that verifies " +
          "with this profile's audit key: they wait to be taken into the log (a decisions_lost " +
          "record each) by the next thoth session to start, as spool files wait, and thoth " +
          "audit verify warns of them (decisions_untold) until then; thoth doctor warns; 0 " +
          "when none; absent from an earlier release's report",
      ),
      unvouched: z.number().int().min(0).optional().describe(
        "How many lost tallies of sessions that ended the next thoth session will refuse and " +
          "set aside in THOTH_HOME/audit/lost/refused, taking nothing they count into the log: " +
          "a MAC that does not verify with this profile's audit key (forged, or signed with " +
          "another profile's key), no MAC, another session's name, or bytes that are no " +
          "tally; thoth audit verify warns of them; thoth doctor warns; 0 when none; absent " +
          "from an earlier release's report",
      ),
      refused_folder_problem: nullableString.optional().describe(
        "Why refused lost tallies cannot be set aside in THOTH_HOME/audit/lost/refused: " +
          "something other than a folder stands there (a symbolic link among them, which is " +
          "never followed), so each stays in THOTH_HOME/audit/lost, refused again by every " +
          "session; thoth audit verify and thoth doctor warn; null when they can (or it does " +
          "not exist yet: a session makes it); absent from an earlier release's report",
      ),
      refused_folder_fix: nullableString.optional().describe(
        "The command that fixes refused_folder_problem (look at what stands there first); " +
          "null when refused_folder_problem is; absent from an earlier release's report",
      ),
      unreadable: z.number().int().min(0).optional().describe(
        "How many lost tallies the user thoth runs as cannot read: no session takes them in " +
          "or sets them aside, so what they count is unknown; thoth audit verify names each " +
          "and thoth doctor warns; 0 when none; absent from an earlier release's report",
      ),
    }).nullable().optional().describe(
      "The lost tallies (THOTH_HOME/audit/lost/<session>.tally), in which a session counts the " +
        "decisions and approvals it loses when even its audit spool cannot take them; null when " +
        "not looked at (the audit folder or its spool folder is a link); absent from an earlier " +
        "release's report. They do not change status",
    ),
    size_bytes: z.number().int().min(0).nullable().describe(
      "The sum of the sizes of the log's segment files (THOTH_HOME/audit/seg-*.jsonl), in " +
        "bytes, from a stat of each (spool and checkpoints not counted); 0 when there is no log " +
        "yet; null when they could not be looked at. The log grows by about 1.1 KB per governed " +
        "tools/call and thoth removes no segment; thoth doctor warns over 2 GiB",
    ),
    segments: z.number().int().min(0).nullable().describe(
      "How many segment files the log has (a new one each UTC day and every 64 MiB); null " +
        "when size_bytes is",
    ),
    oldest_segment_day: z.iso.date().nullable().describe(
      "The UTC day (YYYY-MM-DD) the oldest segment was opened, from its file name; null when " +
        "there is none, or when size_bytes is null",
    ),
  }),
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
