/**
 * The document `thoth status --json` prints: every server of every file read
 * with its file and scope, the counts over them, the project configs, where
 * status did not look and the profile judged. Each server carries
 * `notStartable`: the commands of a governed server that are not found where
 * its client looks for them (what `--check` warns about and `--strict` fails
 * on, see `status_not_startable.ts`), each with why and what to do; the
 * summary counts those servers. Field names are stable (scripts read them):
 * fields are only ever added.
 *
 * @example
 * ```ts
 * io.out(statusJson({ config: path, userConfigMissing: null, files, projects: null,
 *   notLookedIn: [], profile, notStartable }));
 * // {"schemaVersion": 1, …, "servers": [{…, "notStartable": []}], "summary": {…, "notStartable": 0}, …}
 * ```
 */
import type { StatusReport } from "../config/status_report.ts";
import { countProjectProblems, projectConfigsJson } from "../config/plan_project_statuses.ts";
import type { ProjectConfigsLook } from "../config/look_at_project_configs.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { escapeJsonForDisplay } from "../audit/escape_json_for_display.ts";
import { decisionsOf } from "./local_decisions.ts";
import { enforcementInEffect } from "./enforcement_in_effect.ts";
import type { JudgedProfileFacts } from "./judged_profile.ts";
import type { NotStartableServer } from "./status_not_startable.ts";

/** What `--json` says to do about a command not found: what `--check`'s hint says. */
export const NOT_STARTABLE_REMEDY = 'run "thoth doctor": its upstream_path check shows where ' +
  "the command was looked up and the fix";

/** One file status read, with its report. */
export interface StatusJsonFile {
  path: string;
  report: StatusReport;
  scope: "user" | "project";
}

/** What the document is made of. */
export interface StatusJsonInput {
  /** The first file read, or the client's user config that does not exist. */
  config: string;
  userConfigMissing: string | null;
  files: readonly StatusJsonFile[];
  projects: ProjectConfigsLook | null;
  notLookedIn: readonly string[];
  profile: JudgedProfileFacts;
  /** The governed servers with a command not found (see `notStartableServers`). */
  notStartable: readonly NotStartableServer[];
}

/** The `--json` document, escaped for a terminal, with its final newline. */
export function statusJson(input: StatusJsonInput): string {
  const servers = input.files.flatMap((file) =>
    file.report.servers.map((server) => ({
      ...server,
      name: shownUnlessKey(server.name),
      ...enforcementInEffect(server),
      decisions: decisionsOf(server),
      config: file.path,
      scope: file.scope,
      notStartable: input.notStartable.filter((found) => found.row === server).map((found) => ({
        command: found.command,
        upstream: found.upstream,
        problem: found.why,
        remedy: NOT_STARTABLE_REMEDY,
      })),
    }))
  );
  const projects = input.projects;
  const doc = {
    schemaVersion: 1,
    config: input.config,
    configs: input.files.map((file) => file.path),
    userConfigMissing: input.userConfigMissing,
    servers,
    summary: {
      ...sumSummaries(input.files.map((file) => file.report.summary)),
      notStartable: servers.filter((server) => server.notStartable.length > 0).length,
      // Beside "projectConfigs" only: a file given with --config keeps the summary it had.
      ...(projects === null ? {} : { projectConfigProblems: countProjectProblems(projects) }),
    },
    projectConfigs: projectConfigsJson(projects),
    notLookedIn: input.notLookedIn,
    profile: input.profile,
  };
  // DEL, C1 and bidi controls as \u escapes too: safe to print, parses to the exact names.
  return escapeJsonForDisplay(JSON.stringify(doc, null, 2)) + "\n";
}

/** The counts of several files' reports, added up (all 0 for none). */
function sumSummaries(summaries: readonly StatusReport["summary"][]): StatusReport["summary"] {
  const total: StatusReport["summary"] = {
    servers: 0,
    governed: 0,
    ungoverned: 0,
    notUnderstood: 0,
    notApplicable: 0,
    drifted: 0,
    refused: 0,
    cannotStart: 0,
  };
  for (const summary of summaries) {
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += summary[key];
  }
  return total;
}
