/**
 * A client's own (user-level) config that does not exist, beside project
 * configs that do. A Cursor user who keeps servers only in
 * `<project>/.cursor/mcp.json` has no `~/.cursor/mcp.json`: `thoth status
 * --client cursor` then reports the project configs it finds (as when the
 * user config exists) and says the user config is not there; with no project
 * config either there is nothing to report, and the missing file stays an
 * error. `thoth wrap-config --client` stops at the missing file, and its
 * hints name the project configs that run servers without thoth, each with
 * the command that wraps it. Pure.
 *
 * @example
 * ```ts
 * goesOnWithoutUserConfig(notFound, look); // true: a project config was found
 * userConfigMissingNote("/home/ana/.cursor/mcp.json", look);
 * // 'thoth: note: the user config "/home/ana/.cursor/mcp.json" does not exist: ' +
 * // 'showing the project configs of the folders "/home/ana/.claude.json" lists only\n'
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import type { ProjectConfigsLook } from "./look_at_project_configs.ts";

/**
 * Whether `status` reports the project configs of `look` alone after
 * `error`: only when `error` is a missing config (`config.not_found`) and
 * `look` holds at least one project config place with a file (found, or one
 * that cannot be read or understood). A place with no file, a folder that is
 * gone or one not looked in is nothing to report.
 */
export function goesOnWithoutUserConfig(
  error: unknown,
  look: ProjectConfigsLook | null,
): boolean {
  return isAppError(error, "config.not_found") && hasProjectConfigFiles(look);
}

/** Whether `look` found a project config file (read or not, understood or not). */
export function hasProjectConfigFiles(look: ProjectConfigsLook | null): boolean {
  return (look?.places ?? []).some((place) =>
    place.state === "found" || place.state === "unreadable" || place.state === "invalid"
  );
}

/** The line `status` says on stderr when the user config at `path` is missing. */
export function userConfigMissingNote(path: string, look: ProjectConfigsLook): string {
  return `thoth: note: the user config "${path}" does not exist: showing the project ` +
    `configs of the folders "${look.listedIn}" lists only\n`;
}

/**
 * What `status`'s text output shows in place of the table of the user config
 * at `path` that does not exist: the path and a line that says so.
 */
export function formatUserConfigMissing(path: string): string {
  return `${path}\n\nNo such file: this client's user config does not exist (its project ` +
    "configs follow).\n";
}

/** A project config with servers that run without thoth, as `wrap-config` names it. */
export interface ProjectConfigToWrap {
  path: string;
  /** Its stdio servers that run without thoth (keys shown by fingerprint). */
  ungoverned: readonly string[];
  /** Why it cannot be read or understood, or null. */
  problem: string | null;
}

/**
 * `error` (the user config that `wrap-config --client` cannot find) with a
 * hint before its own for each project config of `left`: what runs there
 * without thoth, and the command that wraps that file (`wrapCommandFor`);
 * `error` as it is when it is not a missing config or `left` is empty.
 *
 * @example
 * ```ts
 * const left = [{ path: "/w/.cursor/mcp.json", ungoverned: ["fs"], problem: null }];
 * withProjectConfigHints(notFound, left, (path) => `thoth wrap-config --client cursor ${path}`)
 *   .hints[0];
 * // 'the project config "/w/.cursor/mcp.json" has 1 stdio server that runs without thoth: ' +
 * // "fs; to wrap it, run: thoth wrap-config --client cursor /w/.cursor/mcp.json"
 * ```
 */
export function withProjectConfigHints(
  error: unknown,
  left: readonly ProjectConfigToWrap[],
  wrapCommandFor: (path: string) => string,
): unknown {
  if (!isAppError(error, "config.not_found") || left.length === 0) return error;
  const hints = left.map((config) => {
    const where = `the project config "${config.path}"`;
    if (config.problem !== null) {
      return `${where} cannot be read: ${config.problem}; fix it, then run: ${
        wrapCommandFor(config.path)
      }`;
    }
    const count = config.ungoverned.length;
    return `${where} has ${count} stdio server${count === 1 ? "" : "s"} that run${
      count === 1 ? "s" : ""
    } without thoth: ${config.ungoverned.join(", ")}; to wrap it, run: ${
      wrapCommandFor(config.path)
    }`;
  });
  return new AppError(error.code, error.message, {
    cause: error.cause,
    hints: [...hints, ...error.hints],
    exitCode: error.exitCode,
  });
}
