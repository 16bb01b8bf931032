/**
 * Every config file a `wrap-config`, `unwrap-config` or `status` run works
 * on, read and planned before anything is written, with the remedies an
 * unreadable one gets.
 *
 * @example
 * ```ts
 * const planned = await planConfigPlaces(places, command, (file) => planWrap(file.text, options));
 * ```
 */
import { type ConfigFile, readConfigFile } from "../config/read_config_file.ts";
import { type ConfigPlace, mayNameMcpServers } from "../config/resolve_config_path.ts";
import type { ConfigCommand } from "../config/config_command.ts";
import { AppError, isAppError } from "../errors.ts";
import { configReadFix } from "../config/config_read_fix.ts";

/** A file read and its plan. */
export interface PlannedFile<P> {
  file: ConfigFile;
  plan: P;
}

/** A place that could not be read or planned, and why (see {@linkcode planConfigPlaces}). */
export interface PlaceProblem {
  path: string;
  error: unknown;
}

/** How {@linkcode planConfigPlaces} goes on past an optional place it cannot use. */
export interface PlanPlacesOptions<P = unknown> {
  /** The `--client` given, for the command the hints name. */
  client?: string | undefined;
  /**
   * When given (`status`), an optional place that cannot be read or planned
   * is added here instead of stopping the command, once another file was
   * planned: the caller shows the others and reports it (and fails).
   */
  problems?: PlaceProblem[];
  /**
   * Told of a place that cannot be read or planned, with the error that
   * stops the command and the files planned before it (none written), just
   * before it is thrown (`--json` lists those as "not_written", and the file
   * as "failed" with the error). Not told of one added to `problems`, nor of
   * a required place that is missing.
   */
  refused?: (path: string, error: unknown, planned: readonly PlannedFile<P>[]) => void;
}

/**
 * Reads and plans every place in `places` before anything is written, so that
 * a file that cannot be read or planned stops the command with nothing
 * changed. An optional place (VS Code's settings.json) is left out when it is
 * missing, names no MCP servers, or does not parse and does not mention MCP;
 * a required place that is missing is an error only when no optional place
 * names servers either (`config.not_found`, as `readConfigFile` throws it).
 * Every other error is thrown (through `explain`, given the file's path, when
 * given): an optional place that cannot be read, or whose servers are
 * ambiguous, may hold servers that run without thoth (fail closed). Without
 * `explain`, a file that cannot be read gets a remedy when it has none
 * ({@linkcode withReadRemedy}). Its
 * error then also says how to work on the files that were planned meanwhile
 * (`thoth wrap-config --client vscode "…/mcp.json"`), or, with
 * `options.problems`, is added there and the others are returned.
 */
export async function planConfigPlaces<P extends { servers: readonly unknown[] }>(
  places: readonly ConfigPlace[],
  command: ConfigCommand,
  planFile: (file: ConfigFile) => P,
  explain: (error: unknown, path: string) => unknown = withReadRemedy,
  options: PlanPlacesOptions<P> = {},
): Promise<PlannedFile<P>[]> {
  const planned: PlannedFile<P>[] = [];
  const problems: PlaceProblem[] = [];
  let missing: unknown;
  const refuse = (error: unknown, place: ConfigPlace) => {
    const explained = explain(error, place.path);
    if (place.optional && planned.length > 0 && options.problems !== undefined) {
      problems.push({ path: place.path, error: explained });
      return;
    }
    const stop = !place.optional || planned.length === 0
      ? explained
      : withMeanwhileHint(explained, planned.map(({ file }) => file.path), command, options);
    options.refused?.(place.path, stop, planned);
    throw stop;
  };
  for (const place of places) {
    let file: ConfigFile;
    try {
      file = await readConfigFile(place.path, command);
    } catch (error) {
      if (!isAppError(error, "config.not_found")) {
        refuse(error, place);
        continue;
      }
      if (!place.optional) missing ??= error;
      continue;
    }
    let plan: P;
    try {
      plan = planFile(file);
    } catch (error) {
      if (place.optional && isAppError(error, "config.invalid") && !mayNameMcpServers(file.text)) {
        continue;
      }
      refuse(error, place);
      continue;
    }
    if (place.optional && plan.servers.length === 0) continue;
    planned.push({ file, plan });
  }
  if (missing !== undefined && planned.length === 0) throw missing;
  options.problems?.push(...problems);
  return planned;
}

/**
 * `error` with a remedy when it is a config that cannot be read
 * (`config.unreadable`) and the reader gave none: permission denied (let this
 * user read it, or run as the user it belongs to), a special file such as
 * `/dev/stdin` (pass the file itself), or no regular file where the config
 * should be (`thoth status` gives the same remedy); `error` as it is
 * otherwise. For the commands that write: the hint says nothing was.
 *
 * @example
 * ```ts
 * withReadRemedy(denied, "/home/ana/.cursor/mcp.json").hints[0];
 * // 'let this user read "/home/ana/.cursor/mcp.json" (its owner and mode: ls -l …), …'
 * ```
 */
export function withReadRemedy(error: unknown, path: string): unknown {
  if (!isAppError(error, "config.unreadable")) return error;
  // The reader's hint for these two is the same fix: said here with "nothing was written".
  const known = configReadFix(error.cause, path);
  if (known === null && error.hints.length > 0) return error;
  const fix = known ??
    `put the client's config back at "${path}" as a regular file it can read, or move ` +
      "what is there away";
  return new AppError(error.code, error.message, {
    cause: error.cause,
    hints: [`${fix}; nothing was written; then run the command again`],
    exitCode: error.exitCode,
  });
}

/**
 * `error` (an optional place's, which stops the command) with one more hint:
 * how to work on the files that were planned (`paths`) meanwhile, each alone.
 */
function withMeanwhileHint(
  error: unknown,
  paths: readonly string[],
  command: ConfigCommand,
  options: Pick<PlanPlacesOptions, "client">,
): unknown {
  if (!(error instanceof AppError) || paths.length === 0) return error;
  const flag = options.client === undefined ? "" : ` --client ${options.client}`;
  const file = command.takes === "INPUT" ? "" : " --config";
  const commands = paths.map((path) =>
    `thoth ${command.name}${flag}${file} ${JSON.stringify(path)}`
  );
  return new AppError(error.code, error.message, {
    cause: error.cause,
    hints: [
      ...error.hints,
      `meanwhile, to work on ${paths.map((path) => `"${path}"`).join(" and ")} alone, run: ` +
      commands.join("; "),
    ],
    exitCode: error.exitCode,
  });
}
