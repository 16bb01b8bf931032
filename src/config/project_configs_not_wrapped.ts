/**
 * The project configs `thoth wrap-config --client` leaves as they are: the
 * configs of that client in the project folders `~/.claude.json` lists (the
 * places `thoth doctor` and `thoth status --client` look at), where a stdio
 * server runs without thoth, or that cannot be read. `wrap-config` works on
 * the client's own files only (a project's config is shared through its
 * repository), so it names each of these with the command that wraps it.
 *
 * @example
 * ```ts
 * const left = await projectConfigsNotWrapped({
 *   client: "claude-code", os: "linux", env: { HOME: "/home/ana" }, isFile: () => false,
 * });
 * formatProjectConfigsNotWrapped(left, (path) => `thoth wrap-config --client claude-code ${path}`);
 * // 'thoth: note: not wrapped: the project config "/home/ana/web/.mcp.json" (a folder ' +
 * // '"/home/ana/.claude.json" lists) has 1 stdio server that runs without thoth: shared-fs\n' +
 * // "thoth: hint: to wrap it, run: thoth wrap-config --client claude-code /home/ana/web/.mcp.json\n"
 * ```
 */
import type { ClientId } from "./client_id.ts";
import { lookAtProjectConfigs } from "./look_at_project_configs.ts";
import { planProjectStatuses } from "./plan_project_statuses.ts";
import type { StatusOptions } from "./plan_status.ts";
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { displayText } from "../approval/display_text.ts";

/** One project config left as it is. */
export interface ProjectConfigLeft {
  path: string;
  /** The file that lists its folder (`~/.claude.json`). */
  listedIn: string;
  /** Its stdio servers that run without thoth (keys shown by fingerprint). */
  ungoverned: string[];
  /** Why it cannot be read or understood, or null. */
  problem: string | null;
}

/** What the lookup needs. */
export interface NotWrappedFacts {
  client: ClientId;
  os: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether a path names an existing file (the thoth path check). */
  isFile: (path: string) => boolean;
  /** How this thoth is started, so entries it wrapped are recognised. */
  thothCommand?: readonly string[];
}

/**
 * The project configs of `facts.client` with a stdio server that runs
 * without thoth, or that cannot be read; none for a client that reads no
 * project configs, or when `~/.claude.json` lists no folder.
 */
export async function projectConfigsNotWrapped(
  facts: NotWrappedFacts,
): Promise<ProjectConfigLeft[]> {
  const look = await lookAtProjectConfigs(facts);
  if (look === null) return [];
  const problems: { path: string; error: unknown }[] = [];
  const statusOptions: StatusOptions = { client: facts.client, isFile: facts.isFile };
  if (facts.thothCommand !== undefined) statusOptions.thothCommand = facts.thothCommand;
  const planned = planProjectStatuses(look, {
    client: facts.client,
    statusOptions,
    wrapCommandFor: () => "thoth wrap-config",
    explain: (error) => error,
    problems,
  });
  const left: ProjectConfigLeft[] = planned.flatMap((file) => {
    const ungoverned = file.report.servers.filter((server) => server.state === "ungoverned")
      .map((server) => shownUnlessKey(server.name));
    return ungoverned.length === 0
      ? []
      : [{ path: file.path, listedIn: look.listedIn, ungoverned, problem: null }];
  });
  for (const { path, error } of problems) {
    const problem = error instanceof Error ? error.message : String(error);
    left.push({ path, listedIn: look.listedIn, ungoverned: [], problem });
  }
  return left;
}

/**
 * Lines for stderr naming each config of `left`, with the command that would
 * wrap it (`wrapCommandFor` gives it, the file quoted for a shell); "" when
 * `left` is empty. Paths, names and problems come from configs (a folder
 * `~/.claude.json` lists, a cloned repository's `.mcp.json`): each line
 * passes {@linkcode displayText}, so none can add a line or drive the terminal.
 */
export function formatProjectConfigsNotWrapped(
  left: readonly ProjectConfigLeft[],
  wrapCommandFor: (path: string) => string,
): string {
  const lines = (...texts: string[]) =>
    texts.map((text) => `${displayText(text, Infinity)}\n`).join("");
  return left.map((config) => {
    const where = `the project config "${config.path}" (a folder "${config.listedIn}" lists)`;
    if (config.problem !== null) {
      return lines(
        `thoth: note: not wrapped: ${where} cannot be read: ${config.problem}`,
        `thoth: hint: fix it, then run: ${wrapCommandFor(config.path)}`,
      );
    }
    const count = config.ungoverned.length;
    return lines(
      `thoth: note: not wrapped: ${where} has ${count} stdio server${
        count === 1 ? "" : "s"
      } that run${count === 1 ? "s" : ""} without thoth: ${config.ungoverned.join(", ")}`,
      `thoth: hint: to wrap it, run: ${wrapCommandFor(config.path)}`,
    );
  }).join("");
}
