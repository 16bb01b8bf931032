/**
 * The `command-runners` globs for a library call that runs a command line,
 * as the whole name of a tool (`os_system`, `os.system`,
 * `subprocess_check_output`, `child_process_exec`), in every case form
 * (`osSystem`, `OsSystem`, `OS_SYSTEM`), also after an aggregator's prefix;
 * not after another word (`get_os_system` may read which one). Pure.
 *
 * @example
 * ```ts
 * const rule = { match: { tool: [...LIBRARY_CALL_GLOBS] }, decision: "step_up" };
 * ```
 */
import { AGGREGATED, TRAIL, TRAIL_UPPER } from "./command_runner_shapes.ts";
import { cap, list, SEP, upper } from "./tool_name_words.ts";

/**
 * Library calls that run a command line, as tool names (`os_system`,
 * `subprocess_check_output`, `child_process_exec`).
 */
const LIBRARY_CALLS: readonly (readonly [string, readonly string[]])[] = [
  ["os", ["system", "popen", "spawn"]],
  ["subprocess", ["call", "check_call", "check_output", "popen"]],
  ["child_process", ["exec", "exec_sync", "exec_file", "spawn", "spawn_sync"]],
];
/** `check_output` → `checkOutput`. */
const camel = (w: string) => w.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** `check_output` → `check[-_./]output`: any separator between its words. */
const anySep = (w: string) => w.replaceAll("_", SEP);

/**
 * The globs for {@linkcode LIBRARY_CALLS} as the whole name, in every case
 * form (`os_system`, `osSystem`, `OS_SYSTEM`), also after an aggregator's
 * prefix; not after another word (`get_os_system` may read which one).
 */
function libraryCalls(): string[] {
  const pairs = LIBRARY_CALLS.flatMap(([lib, calls]) => calls.map((call) => [lib, call] as const));
  const at = list(AGGREGATED);
  return [
    `${at}${
      list(pairs.flatMap(([lib, call]) => [
        `${anySep(lib)}${SEP}${anySep(call)}`,
        `${camel(lib)}${cap(camel(call))}`,
      ]))
    }${TRAIL}`,
    `${at}${list(pairs.map(([lib, call]) => `${cap(camel(lib))}${cap(camel(call))}`))}${TRAIL}`,
    `${at}${
      list(pairs.map(([lib, call]) => `${anySep(upper(lib))}${SEP}${anySep(upper(call))}`))
    }` +
    TRAIL_UPPER,
  ];
}

/** The library-call globs, in the order the `command-runners` rule writes them. */
export const LIBRARY_CALL_GLOBS: readonly string[] = libraryCalls();
