/**
 * `thoth health [--json] [--probe]`: this endpoint's identity, credentials,
 * governance and audit state, for a person or (with `--json`) for fleet tools.
 * The JSON follows `schemas/health.schema.json` and is checked against it
 * before it is printed. No network call unless `--probe`. Exits 0 whenever a
 * report was produced; problems are in the data. When the audit log is
 * degraded, why (and what to run) goes to stderr as `thoth: audit: …` and
 * `thoth: hint: …` lines, and in the human summary on its row.
 *
 * @example
 * ```sh
 * thoth health --json | jq -r .endpoint.id
 * thoth health --json --probe
 * ```
 */
import { Command } from "@commander-js/extra-typings";
import { AppError } from "../errors.ts";
import { bootstrapProfile } from "../identity/bootstrap_profile.ts";
import { buildHealthReport } from "../doctor/build_health_report.ts";
import { denoDoctorContext } from "../doctor/deno_doctor_context.ts";
import type { DoctorContext } from "../doctor/doctor_context.ts";
import type { AuditHealth, DoctorPlugins } from "../doctor/doctor_plugins.ts";
import { type HealthReport, HealthReportSchema } from "../doctor/health_report_schema.ts";
import type { CliIo } from "./cli_io.ts";
import type { DoctorCommandOptions } from "./doctor.ts";

/** Builds the `health` subcommand. */
export function healthCommand(io: CliIo, options: DoctorCommandOptions = {}) {
  return new Command("health")
    .description("report this endpoint's identity, credentials and governance state")
    .option("--json", "print the report as JSON (see schemas/health.schema.json)")
    .option("--probe", "also resolve and contact the enforcer (network)")
    .action(async (flags) => {
      try {
        const { notices } = await bootstrapProfile(io.thothHome, Deno.build.os);
        for (const notice of notices) io.err(`thoth: ${notice}\n`);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        io.err(`thoth: ${error.message}\n`);
      }
      const plugins = options.plugins ?? {};
      const built = (options.context ?? defaultContext)(io, plugins);
      // The report's audit part has no room for why it is not ok: keep the
      // plug-in's answer to say it beside the report.
      let audit: AuditHealth | undefined;
      const context: DoctorContext = {
        ...built,
        plugins: {
          ...built.plugins,
          auditHealth: async (pluginContext) => {
            audit = await built.plugins.auditHealth(pluginContext);
            return audit;
          },
        },
      };
      const report = HealthReportSchema.parse(
        await buildHealthReport(context, { probe: flags.probe === true }),
      );
      const why = audit?.status === "degraded" ? audit : undefined;
      if (flags.json === true) {
        io.out(JSON.stringify(report, null, 2) + "\n");
        if (why !== undefined) {
          io.err(`thoth: audit: ${why.message}\n`);
          if (why.hint !== undefined) io.err(`thoth: hint: ${why.hint}\n`);
        }
      } else {
        io.out(formatHealth(report, why));
      }
    });
}

function defaultContext(io: CliIo, plugins: Partial<DoctorPlugins>): DoctorContext {
  return denoDoctorContext({ env: io.env, thothHome: io.thothHome, plugins });
}

function formatHealth(r: HealthReport, auditProblem: AuditHealth | undefined): string {
  const rows: [string, string][] = [
    ["thoth", `${r.thoth.version} (${r.thoth.target}; commit ${r.thoth.commit})`],
    [
      "endpoint",
      r.endpoint.id === null ? "unknown" : `${r.endpoint.id} (from ${r.endpoint.origin})`,
    ],
    [
      "tenant",
      r.tenant.id === null
        ? "none (local policy only)"
        : `${r.tenant.id}, env ${r.tenant.environment}`,
    ],
    ["user", r.user.id ?? "not set"],
    ["environment", r.environment.valid ? "valid" : r.environment.problems.join("; ")],
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
          `${c.client}: ${c.governed.length} governed, ${c.ungoverned.length} not` +
          (c.not_understood.length === 0
            ? ""
            : ` (${c.not_understood.length} thoth ${
              c.not_understood.length === 1 ? "entry" : "entries"
            } not understood)`)
        )
          .join("; ") || "none found",
    ],
    ["policy", r.policy.present ? `sha256 ${r.policy.sha256}` : "none (built-in default)"],
    [
      "audit",
      r.audit.status + (r.audit.last_sequence === null ? "" : `, seq ${r.audit.last_sequence}`) +
      (auditProblem === undefined
        ? ""
        : `: ${auditProblem.message}${
          auditProblem.hint === undefined ? "" : ` (${auditProblem.hint})`
        }`),
    ],
    ["last check-in", r.fleet.last_checkin_at ?? "never"],
    [
      "enforcer",
      r.enforcer.url === null
        ? r.enforcer.reachability
        : `${r.enforcer.url} (${r.enforcer.reachability})`,
    ],
  ];
  return rows.map(([k, v]) => `${k.padEnd(14)}${v}`).join("\n") + "\n";
}
