/**
 * `thoth status`'s half for project configs: plans each project config
 * {@linkcode lookAtProjectConfigs} found as status plans the client's own
 * files, with the command that wraps that file alone, and gives where it
 * looked as `--json`'s `projectConfigs`. Pure.
 *
 * @example
 * ```ts
 * const planned = planProjectStatuses(look, {
 *   client: "claude-code",
 *   statusOptions: { isFile: () => false },
 *   wrapCommandFor: (path) => `thoth wrap-config --client claude-code ${path}`,
 *   explain: (error) => error,
 *   problems: [],
 * });
 * planned.map((file) => file.report.summary.ungoverned); // [1]
 * ```
 */
import type { ClientId } from "./client_id.ts";
import type { ProjectConfigsLook, ProjectConfigState } from "./look_at_project_configs.ts";
import { planStatus, type StatusOptions } from "./plan_status.ts";
import type { StatusReport } from "./status_report.ts";
import { parseConfig } from "./parse_config.ts";
import { serverEntries } from "./server_entries.ts";

/** A project config status planned. */
export interface ProjectStatus {
  path: string;
  text: string;
  report: StatusReport;
  scope: "project";
  /** The command that wraps this file (and no other). */
  wrapCommand: string;
}

/** What the planning needs. */
export interface ProjectStatusOptions {
  client: ClientId | undefined;
  /** Status's options for the client's own files; `label` and `wrapCommand` are set per file. */
  statusOptions: StatusOptions;
  /** The command that wraps the file at `path` alone. */
  wrapCommandFor: (path: string) => string;
  /** An error of the file at `path` as the command reports it (with its remedy). */
  explain: (error: unknown, path: string) => unknown;
  /** Where a file that cannot be read or planned goes (status shows the rest and names it). */
  problems: { path: string; error: unknown }[];
}

/**
 * The reports of the project configs `look` found, each with its servers; a
 * file with no servers gets none (the lines under the tables name it), one
 * that cannot be read or planned goes to `options.problems`, as
 * `thoth doctor` fails on it.
 */
export function planProjectStatuses(
  look: ProjectConfigsLook | null,
  options: ProjectStatusOptions,
): ProjectStatus[] {
  return (look?.places ?? []).flatMap((place) => {
    if (place.state === "unreadable") {
      options.problems.push({ path: place.path, error: options.explain(place.error, place.path) });
      return [];
    }
    if (place.file === null) return [];
    const { path, text } = place.file;
    const wrapCommand = options.wrapCommandFor(path);
    try {
      // Parsed with the path as label first: ambiguous VS Code servers are refused naming the file.
      serverEntries(parseConfig(text, path, true), options.client, path);
      const report = planStatus(text, { ...options.statusOptions, label: path, wrapCommand });
      return report.servers.length === 0
        ? []
        : [{ path, text, report, scope: "project" as const, wrapCommand }];
    } catch (error) {
      options.problems.push({ path, error: options.explain(error, path) });
      return [];
    }
  });
}

/**
 * `look` with each found file that {@linkcode planProjectStatuses} could not
 * plan (it put it in `problems`: broken JSON, servers not understood) marked
 * `invalid`, with its error; null stays null.
 *
 * @example
 * ```ts
 * withProjectProblems(look, problems)?.places.map((place) => place.state);
 * // ["invalid", "none"]
 * ```
 */
export function withProjectProblems(
  look: ProjectConfigsLook | null,
  problems: readonly { path: string; error: unknown }[],
): ProjectConfigsLook | null {
  if (look === null) return null;
  return {
    ...look,
    places: look.places.map((place) => {
      const problem = problems.find((found) => found.path === place.path);
      return place.state === "found" && problem !== undefined
        ? { ...place, state: "invalid" as const, error: problem.error }
        : place;
    }),
  };
}

/** How many places of `look` hold a file that cannot be read or used (`--json`'s `summary.projectConfigProblems`). */
export function countProjectProblems(look: ProjectConfigsLook | null): number {
  return (look?.places ?? []).filter(isProblem).length;
}

/** One project config place in `--json`. */
export interface ProjectPlaceJson {
  client: ClientId;
  folder: string;
  path: string;
  state: ProjectConfigState;
  /** Why it cannot be read or used, when `state` is `unreadable` or `invalid`; else null. */
  problem: string | null;
}

/**
 * `--json`'s `projectConfigs`: the file that lists the project folders,
 * every place looked at, and where status did not look; null when status
 * looked at no project configs (a file given with `--config`, no `--client`,
 * or a client that reads none).
 */
export function projectConfigsJson(
  look: ProjectConfigsLook | null,
): { listedIn: string; places: ProjectPlaceJson[]; notChecked: string[] } | null {
  if (look === null) return null;
  return {
    listedIn: look.listedIn,
    places: look.places.map((place) => ({
      client: place.client,
      folder: place.folder,
      path: place.path,
      state: place.state,
      problem: !isProblem(place)
        ? null
        : place.error instanceof Error
        ? place.error.message
        : String(place.error),
    })),
    notChecked: look.notChecked,
  };
}

function isProblem(place: { state: ProjectConfigState }): boolean {
  return place.state === "unreadable" || place.state === "invalid";
}
