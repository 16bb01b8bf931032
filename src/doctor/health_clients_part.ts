/**
 * The `clients` and `client_places` parts of `thoth health --json`: each
 * client config found, its servers classed as `thoth status` classes them (and
 * those whose command is not found, as `thoth doctor` looks it up), and the
 * places looked at.
 *
 * @example
 * ```ts
 * const { clients, places } = await clientsPart(context, pluginContext);
 * clients?.[0]?.governed; // ["filesystem"]
 * ```
 */
import { clientConfigRemedy } from "./client_config_remedy.ts";
import { SAME_OPTIONS, wrapConfigLine } from "./wrap_config_line.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { ClientConfigReport } from "./doctor_plugins.ts";
import type { HealthReport } from "./health_report_schema.ts";
import { lookUpServerCommands, missingCommandText } from "./server_path.ts";

/** The clients found, and the places looked at. */
export type Discovered = {
  clients: HealthReport["clients"];
  places: HealthReport["client_places"];
};

/**
 * The client configs as discovery reports them, each server classed as
 * `thoth status` classes it; both null when this build cannot discover them
 * (or discovery failed).
 */
export async function clientsPart(
  context: DoctorContext,
  pluginContext: { env: DoctorContext["env"]; thothHome: string; os: string },
): Promise<Discovered> {
  const none: Discovered = { clients: null, places: null };
  let reports: readonly ClientConfigReport[];
  let places: HealthReport["client_places"] = null;
  const discoverPlaces = context.plugins.discoverClientPlaces;
  try {
    if (discoverPlaces !== undefined && discoverPlaces !== null) {
      const found = await discoverPlaces(pluginContext);
      reports = found.reports;
      places = {
        checked: found.places.map((p) => ({
          client: p.client,
          path: p.path,
          scope: p.scope,
          found: p.found,
        })),
        not_checked: [...found.notChecked],
      };
    } else if (context.plugins.discoverClients !== null) {
      reports = await context.plugins.discoverClients(pluginContext);
    } else {
      return none;
    }
  } catch {
    return none;
  }
  const clients = await Promise.all(reports.map(async (r) => {
    const others = r.otherServers ?? [];
    // A governed entry whose thoth command is not there stays governed, as status and doctor
    // count it: it runs nothing at all, and not_startable says why (wrap-config is the fix).
    const notStartable = await notStartablePart(context, r);
    const governed = (s: ClientConfigReport["servers"][number]) => s.governed;
    return {
      client: r.client,
      config_path: r.configPath,
      scope: places?.checked.find((p) => p.path === r.configPath)?.scope ?? null,
      governed: r.servers.filter(governed).map((s) => s.name),
      ungoverned: r.servers.filter((s) => !governed(s)).map((s) => s.name),
      disabled: [...r.servers, ...others].filter((s) => s.disabled === true).map((s) => s.name),
      remote: others.filter((s) => s.kind === "remote").map((s) => s.name),
      not_applicable: others.map((s) => ({ name: s.name, kind: s.kind, note: s.note })),
      not_understood: r.servers.flatMap((s) =>
        !s.governed && typeof s.notUnderstood === "string"
          ? [{ name: s.name, note: s.notUnderstood }]
          : []
      ),
      refused: r.servers.flatMap((s) =>
        governed(s) && s.refusals !== undefined && s.refusals !== null && s.refusals.length > 0
          ? [{ name: s.name, reasons: [...s.refusals] }]
          : []
      ),
      warnings: r.servers.flatMap((s) =>
        governed(s) && s.warnings !== undefined && s.warnings !== null && s.warnings.length > 0
          ? [{ name: s.name, warnings: [...s.warnings] }]
          : []
      ),
      not_startable: notStartable,
      problem: r.problem ?? null,
      hint: typeof r.problem === "string" ? clientConfigRemedy(r) : null,
    };
  }));
  return { clients, places };
}

/** A server of a config whose client (or thoth) cannot start one of its commands. */
interface NotStartable {
  readonly name: string;
  readonly command: string;
  readonly problem: string;
}

/**
 * The servers of `report` whose command (thoth itself, for a governed one) or
 * upstream command is not found where it is looked up: on the `PATH` the
 * client starts the entry with, as `thoth doctor` looks (`client_configs` for
 * a governed entry's thoth command, `upstream_path` for the rest). A lookup,
 * nothing started; one the working folder decides is left to `doctor`. A
 * governed entry whose thoth command is missing stays governed (it is no
 * server running without thoth): its problem names `wrap-config` as the fix.
 */
async function notStartablePart(
  context: DoctorContext,
  report: ClientConfigReport,
): Promise<NotStartable[]> {
  const out: NotStartable[] = [];
  for (const server of report.servers) {
    const lookups = await lookUpServerCommands(
      report.client,
      context.os,
      context.env,
      server,
      context.host.isExecutable,
    ).catch(() => []);
    for (const { command, upstream, where, found } of lookups) {
      if (found.outcome !== "missing") continue;
      const why = missingCommandText(command, where, report.client, context.os);
      out.push({
        name: server.name,
        command,
        problem: server.governed && !upstream
          ? `${why}: the client cannot start this governed server; write this thoth's path ` +
            `into its entry ${SAME_OPTIONS} with: ${
              wrapConfigLine(report.client, report.configPath)
            }`
          : upstream
          ? `${why}: thoth run cannot start this server's command`
          : `${why}: the client cannot start this server`,
      });
    }
  }
  return out;
}
