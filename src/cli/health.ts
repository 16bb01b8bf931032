/**
 * `thoth health [--json] [--probe]`: this endpoint's identity, credentials,
 * governance and audit state, for a person or (with `--json`) for fleet tools.
 * The JSON follows `schemas/health.schema.json` and is checked against it
 * before it is printed. No network call unless `--probe`. Exits 0 whenever a
 * report was produced; problems are in the data. A profile that cannot be set
 * up is reported in `profile`, not as a failure of the command. When the
 * profile is not ok, the audit log is degraded, the progressive counters are
 * unreadable or lost (`progressive.problem`, `progressive.warning`), or a
 * client config cannot be read as its client reads it (`clients[].problem`),
 * why (and what to do) also goes to stderr as `thoth: profile: …`/`thoth:
 * audit: …`/`thoth: progressive: …`/`thoth: clients: …` and `thoth: hint: …`
 * lines, and in the human summary on its row; so does a server that cannot
 * start (`clients[].not_startable`), and a sandbox check doctor fails or
 * warns about (`sandbox.problem`, `sandbox.warning`: `thoth: sandbox: …`). What reaches the terminal is escaped as
 * `thoth doctor` escapes it: a folder or file name from the user's files
 * cannot move the cursor or retitle the window. The fleet row and `fleet.registration` say that this build does
 * not register with the fleet or check in; the enforcer row and
 * `enforcer.in_use` that the tenant's enforcer, reachable or not, is not used:
 * every call is decided by the local policy. One invalid variable hides no
 * valid one: the tenant and user rows show what obeys its rule, a row whose
 * variable is invalid says so (never a default), and the environment row
 * names the variable and its rule, and says that `thoth run` refuses every
 * server until it is fixed.
 *
 * @example
 * ```sh
 * thoth health --json | jq -r .endpoint.id
 * thoth health --json --probe
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { displayText } from "../approval/display_text.ts";
import { buildHealthReport } from "../doctor/build_health_report.ts";
import type { DoctorContext } from "../doctor/doctor_context.ts";
import { type HealthReport, HealthReportSchema } from "../doctor/health_report_schema.ts";
import type { CliIo } from "./cli_io.ts";
import { bootstrapQuietly, defaultDoctorContext, type DoctorCommandOptions } from "./doctor.ts";
import { RUN_REFUSES } from "../doctor/check_environment.ts";
import { invalidHomeProblem } from "./invalid_home_problem.ts";

/** Builds the `health` subcommand. */
export function healthCommand(io: CliIo, options: DoctorCommandOptions = {}) {
  return new Command("health")
    .description("report this endpoint's identity, credentials and governance state")
    .option("--json", "print the report as JSON (see schemas/health.schema.json)")
    .option("--probe", "also resolve and contact the enforcer (network)")
    .addHelpText(
      "after",
      "\nExit status: 0 whenever a report was printed, even when it shows problems; read them in\n" +
        "the report (environment.valid, credentials.problem, credentials.expired, profile.ok,\n" +
        "policy.valid, policy.notes, intent_map.valid, intent_map.warning, clients[].problem,\n" +
        "clients[].ungoverned, clients[].not_startable, clients[].refused, clients[].remote,\n" +
        "audit.status, progressive.status, enforcer.reachability, sandbox.ok,\n" +
        "sandbox.missing; client_places says where clients were looked for).\n" +
        "\nThis build does not register with the fleet or check in (fleet.registration is\n" +
        '"not_implemented"), and decides every call with the local policy, tenant or not\n' +
        '(enforcer.in_use is false, enforcer.decisions "local_policy"): a reachable enforcer\n' +
        "is not one that governs this endpoint.\n" +
        "Non-zero means no report was printed: 2 for a command-line error, 1 when the report\n" +
        'could not be made (a "thoth: error:" line says why).\n' +
        "\nA server in clients[].not_startable cannot start: a command it runs is not found where\n" +
        "its client looks, as thoth doctor looks (nothing is started); when that command is thoth\n" +
        "itself, the server stays in clients[].governed: it will not start, and thoth wrap-config\n" +
        "writes this thoth's path into it.\n" +
        "\nExamples:\n" +
        "  # the report for a person, then for a script\n" +
        "  thoth health\n" +
        "  thoth health --json | jq '.credentials'\n" +
        "\n" +
        "  # also contact the enforcer (network)\n" +
        "  thoth health --probe --json",
    )
    .action(async (flags) => {
      // A THOTH_HOME that is not absolute is reported in profile; nothing is set up there.
      const profileSetupProblem = invalidHomeProblem(io) ?? await bootstrapQuietly(io);
      const plugins = options.plugins ?? {};
      const context: DoctorContext = {
        ...(options.context ?? defaultDoctorContext)(io, plugins),
        profileSetupProblem,
      };
      const report = HealthReportSchema.parse(
        await buildHealthReport(context, { probe: flags.probe === true }),
      );
      if (flags.json === true) {
        io.out(JSON.stringify(report, null, 2) + "\n");
        // Also said on stderr, for a person watching a script's run.
        // Text from the user's files reaches a terminal: escaped as doctor escapes it.
        for (const [what, problem, hint] of stderrProblems(report)) {
          io.err(`thoth: ${what}: ${shown(problem)}\n`);
          if (hint !== null) io.err(`thoth: hint: ${shown(hint)}\n`);
        }
      } else {
        io.out(formatHealth(report));
      }
    });
}

/**
 * The sandbox, profile, policy, intent map, audit, progressive and client
 * problems: `[what, problem, hint]`.
 */
function stderrProblems(r: HealthReport): [string, string, string | null][] {
  const found: [string, string, string | null][] = [];
  const sandbox = r.sandbox.problem ?? r.sandbox.warning;
  if (sandbox !== null) found.push(["sandbox", sandbox, r.sandbox.hint]);
  if (!r.profile.ok && r.profile.problem !== null) {
    found.push(["profile", r.profile.problem, r.profile.hint]);
  }
  if (!r.policy.valid && r.policy.problem !== null) {
    found.push(["policy", r.policy.problem, null]);
  }
  for (const note of r.policy.notes ?? []) found.push(["policy", note.message, note.remedy]);
  const map = r.intent_map;
  if (map.problem !== null || map.warning !== null) {
    found.push(["intent map", map.problem ?? map.warning ?? "", map.hint]);
  }
  if (r.audit.status === "degraded" && r.audit.message !== null) {
    found.push(["audit", r.audit.message, r.audit.hint]);
  }
  const counters = r.progressive;
  if (counters.problem !== null || counters.warning !== null) {
    found.push(["progressive", counters.problem ?? counters.warning ?? "", counters.hint]);
  }
  for (const client of r.clients ?? []) {
    if (client.problem !== null) found.push(["clients", client.problem, client.hint]);
    for (const server of client.not_startable) {
      found.push([
        "clients",
        `${clientName(client)}: server "${server.name}": ${server.problem}`,
        'see "thoth doctor" (client_configs, upstream_path) for the fix',
      ]);
    }
  }
  return found;
}

/** A client as the summary names it: with its file when it is a project's. */
function clientName(c: NonNullable<HealthReport["clients"]>[number]): string {
  return c.scope === "project" ? `${c.client} "${c.config_path}"` : c.client;
}

function formatHealth(r: HealthReport): string {
  const auditProblem = r.audit.status === "degraded" && r.audit.message !== null
    ? { message: r.audit.message, hint: r.audit.hint ?? undefined }
    : undefined;
  const rows: [string, string][] = [
    ["thoth", `${r.thoth.version} (${r.thoth.target}; commit ${r.thoth.commit})`],
    ["sandbox", sandboxText(r.sandbox)],
    [
      "endpoint",
      r.endpoint.id !== null
        ? `${r.endpoint.id} (from ${r.endpoint.origin})`
        // A managed id that is set but invalid: why there is none, as --json says it.
        : r.endpoint.problem === null
        ? "unknown"
        : `none: ${r.endpoint.problem}`,
    ],
    ["tenant", tenantText(r)],
    ["user", r.user.id ?? invalidText(r, "THOTH_USER_ID") ?? "not set"],
    [
      "profile",
      r.profile.ok
        ? r.profile.path
        : `${r.profile.problem}${r.profile.hint === null ? "" : ` (${r.profile.hint})`}`,
    ],
    ["environment", environmentText(r.environment)],
    [
      "credentials",
      r.credentials.present
        ? `${r.credentials.source} (fingerprint ${r.credentials.fingerprint})` +
          (r.credentials.expired === true ? ", EXPIRED" : "")
        : r.credentials.problem ?? "none",
    ],
    [
      "clients",
      r.clients === null
        ? "not discovered by this build"
        : r.clients.map((c) =>
          c.problem !== null
            ? `${clientName(c)}: servers unknown: ${c.problem}` +
              (c.hint === null ? "" : ` (${c.hint})`)
            : `${clientName(c)}: ${c.governed.length} governed, ${c.ungoverned.length} not` +
              (c.not_understood.length === 0
                ? ""
                : ` (${c.not_understood.length} thoth ${
                  c.not_understood.length === 1 ? "entry" : "entries"
                } not understood)`) +
              (c.refused.length === 0
                ? ""
                : `, ${c.refused.length} of the governed refused by thoth run`) +
              (c.remote.length === 0 ? "" : `, ${c.remote.length} remote (not governed)`) +
              (c.disabled.length === 0
                ? ""
                : `, ${c.disabled.length} disabled (counted as if enabled)`) +
              (c.not_startable.length === 0
                ? ""
                : `, cannot start: ${
                  c.not_startable.map((n) => `${n.name} (${n.problem})`).join(", ")
                }`)
        )
          .join("; ") || noClientsText(r.client_places),
    ],
    [
      "policy",
      !r.policy.valid && r.policy.problem !== null
        ? `INVALID: ${r.policy.problem}`
        : (r.policy.present ? `sha256 ${r.policy.sha256}` : "none (built-in default)") +
          (r.policy.notes ?? []).map((n) => `; ${n.message} (${n.remedy})`).join(""),
    ],
    ["intent map", intentMapText(r.intent_map)],
    ["progressive", progressiveText(r.progressive)],
    [
      "audit",
      r.audit.status + (r.audit.last_sequence === null ? "" : `, seq ${r.audit.last_sequence}`) +
      (auditProblem === undefined
        ? ""
        : `: ${auditProblem.message}${
          auditProblem.hint === undefined ? "" : ` (${auditProblem.hint})`
        }`),
    ],
    ["fleet", fleetText(r.fleet)],
    [
      "enforcer",
      (r.enforcer.url === null
        ? r.enforcer.reachability
        : `${r.enforcer.url} (${r.enforcer.reachability})`) +
      (r.enforcer.in_use ? "" : `; ${LOCAL_DECISIONS}`),
    ],
  ];
  // Names and paths come from the user's files: no control character reaches the terminal.
  return rows.map(([k, v]) => `${k.padEnd(14)}${shown(v)}`).join("\n") + "\n";
}

/** The sandbox row: what doctor's sandbox check fails or warns about, or that all is as built. */
function sandboxText(s: HealthReport["sandbox"]): string {
  const trouble = s.problem ?? s.warning;
  if (trouble !== null) {
    return `${s.problem === null ? "warning" : "FAILS"}: ${trouble}` +
      (s.hint === null ? "" : ` (${s.hint})`);
  }
  return `${s.compiled === true ? "compiled" : "from source"}, thoth's permission set; ` +
    "the proxy core's sandbox starts";
}

/** The tenant row: the tenant and its environment, each as valid, unset or invalid. */
function tenantText(r: HealthReport): string {
  const environment = r.tenant.environment ?? invalidText(r, "THOTH_ENV") ?? "unknown";
  if (r.tenant.id !== null) return `${r.tenant.id}, env ${environment}`;
  return invalidText(r, "THOTH_TENANT_ID") ?? "none (local policy only)";
}

/** What a row says of `variable` when it broke its rule; null when it did not. */
function invalidText(r: HealthReport, variable: string): string | null {
  return r.environment.invalid_variables.includes(variable)
    ? `unknown: ${variable} is invalid (see environment)`
    : null;
}

/**
 * The environment row: "valid", or each problem (the variable, its value and
 * the rule) and that thoth run refuses every server until it is fixed.
 */
function environmentText(e: HealthReport["environment"]): string {
  if (e.valid) return "valid";
  return `INVALID: ${e.problems.join("; ")}; ${RUN_REFUSES} (in your shell or the MCP ` +
    `client's "env" block)`;
}

/**
 * The clients row when no config was found: "none found", or, when no place
 * was looked at (no home folder known), why not.
 */
function noClientsText(places: HealthReport["client_places"]): string {
  if (places === null || places.checked.length > 0) return "none found";
  return `none looked for: ${places.not_checked[0] ?? "no place to look in is known"}`;
}

/** The intent map row: how many servers it maps, or what thoth run refuses or warns about. */
function intentMapText(m: HealthReport["intent_map"]): string {
  const trouble = m.problem ?? m.warning;
  if (trouble !== null) {
    return `${m.problem === null ? "warning" : "INVALID"}: ${trouble}` +
      (m.hint === null ? "" : ` (${m.hint})`);
  }
  if (!m.present) return "none (no server has a mapped intent)";
  return `${m.servers} server${m.servers === 1 ? "" : "s"} mapped`;
}

/** The progressive row: the counters' state, or what doctor fails or warns about them. */
function progressiveText(p: HealthReport["progressive"]): string {
  const trouble = p.problem ?? p.warning;
  if (trouble !== null) {
    return `${p.problem === null ? "warning" : p.status.toUpperCase()}: ${trouble}` +
      (p.hint === null ? "" : ` (${p.hint})`);
  }
  if (p.status === "ok") return `${p.entries ?? 0} counter(s)`;
  return p.status === "absent" ? "none yet" : p.status;
}

/** What the enforcer row says while this build decides every call itself. */
const LOCAL_DECISIONS = "not used: every call is decided by the local policy";

/** The fleet row: whether this build registers and checks in, and what the environment asks. */
function fleetText(f: HealthReport["fleet"]): string {
  const asked = [
    ...(f.fleet_id === null ? [] : [`fleet id ${f.fleet_id}`]),
    ...(f.registration_url === null ? [] : [`would register at ${f.registration_url}`]),
  ];
  return "not registered: this build does not register with the fleet or check in" +
    (asked.length === 0 ? "" : ` (${asked.join(", ")})`);
}

/** `text` as doctor shows it: every control and invisible character replaced, never cut. */
function shown(text: string): string {
  return displayText(text, Number.MAX_SAFE_INTEGER);
}
