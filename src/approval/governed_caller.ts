/**
 * Whether `thoth approvals approve`, `deny` or `watch` runs inside a server
 * thoth governs: a model with a shell tool could otherwise answer its own
 * approval request. `thoth run` starts every server with
 * {@linkcode GOVERNED_VARIABLE} set (see `upstream_spawn.ts`), which the
 * server's children inherit; and a process that clears it still has, as an
 * ancestor, the server (whose starting environment holds it) and the
 * `thoth run` that started it. Pure: the environment and the processes
 * (as `ps` shows them, see `src/cli/governed_caller_check.ts`) are passed
 * in.
 *
 * Where the process tree cannot be read on Linux or macOS (no `ps` at
 * `/bin/ps` or `/usr/bin/ps`, a `ps` that fails or does not list the
 * caller: {@linkcode ancestorsInTable}), or when the caller's chain of
 * parents goes on past {@linkcode MAX_ANCESTORS} ({@linkcode ancestorWalk}),
 * the commands refuse; on Windows only the variable is checked.
 *
 * What it cannot see: a process that left the tree (started through
 * `setsid`, `nohup … &` after its parent ended, `at`, `systemd-run`, a
 * terminal the server opens on the desktop), or a server started some other
 * way than by `thoth run`. The policy's `thoth.approval_command` rule
 * (`src/policy/approval_commands.ts`) keeps the plain commands out of tool
 * calls before they run.
 *
 * @example
 * ```ts
 * governedCaller({ THOTH_GOVERNED_BY: "4242" }, []); // 'THOTH_GOVERNED_BY is set ("4242")'
 * const table = parseProcessTable(" 10 1 /usr/bin/thoth run -- npx server\n 11 10 bash\n");
 * governedCaller({}, ancestorsOf(table, 11)); // 'its parent process 10 is "thoth run"'
 * ```
 */

/**
 * The variable `thoth run` sets in a governed server's environment: the pid
 * of the `thoth run` that governs it.
 */
export const GOVERNED_VARIABLE = "THOTH_GOVERNED_BY";

/** One process, as `ps` shows it. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  /** Its command line, words joined by spaces (as `ps -o args` shows them). */
  args: string;
  /** Whether its starting environment holds {@linkcode GOVERNED_VARIABLE}. */
  governed?: boolean;
}

/**
 * How many ancestors are looked at, at most. A chain that goes on past them
 * is not cleared: {@linkcode ancestorWalk} says it was cut, and the approval
 * commands refuse (a model could otherwise start `thoth approvals` under a
 * deep enough chain of shells).
 */
export const MAX_ANCESTORS = 64;

/** A program name that is thoth's, a source entry point included (any case). */
const THOTH_PROGRAM = /^(?:thoth(?:\.(?:exe|cmd|bat|ps1|js|mjs|ts))?|mod\.ts)$/i;

/** A line of `ps -o pid=,ppid=,args=`. */
const ROW = /^\s*(\d+)\s+(\d+)\s?(.*)$/;

/** The rows of `ps -A -o pid=,ppid=,args=` output, by pid. */
export function parseProcessTable(text: string): Map<number, ProcessRow> {
  const rows = new Map<number, ProcessRow>();
  for (const line of text.split("\n")) {
    const m = ROW.exec(line);
    if (m === null) continue;
    const pid = Number(m[1]);
    rows.set(pid, { pid, ppid: Number(m[2]), args: m[3]!.trimEnd() });
  }
  return rows;
}

/** The ancestors of one process, and whether the walk up stopped before their top. */
export interface AncestorWalk {
  /** Its parent first, at most {@linkcode MAX_ANCESTORS}. */
  rows: ProcessRow[];
  /**
   * Whether {@linkcode MAX_ANCESTORS} were read and the last one still has a
   * parent in the table that was not read: the chain's top (pid 1, or the
   * first process whose parent the table does not hold) was not reached.
   */
  cut: boolean;
}

/**
 * The ancestors of `pid` in `table`, its parent first, up to the first
 * process the table does not hold (or pid 1's parent), a loop, or
 * {@linkcode MAX_ANCESTORS} of them (`cut` when a parent is left unread).
 */
export function ancestorWalk(table: ReadonlyMap<number, ProcessRow>, pid: number): AncestorWalk {
  const rows: ProcessRow[] = [];
  const seen = new Set<number>([pid]);
  let row = table.get(pid);
  while (row !== undefined) {
    const parent = table.get(row.ppid);
    if (parent === undefined || seen.has(parent.pid)) break;
    if (rows.length === MAX_ANCESTORS) return { rows, cut: true };
    seen.add(parent.pid);
    rows.push(parent);
    row = parent;
  }
  return { rows, cut: false };
}

/**
 * The ancestors of `pid` in `table`, its parent first, up to the first
 * process the table does not hold (or pid 1's parent), at most
 * {@linkcode MAX_ANCESTORS} of them.
 */
export function ancestorsOf(table: ReadonlyMap<number, ProcessRow>, pid: number): ProcessRow[] {
  return ancestorWalk(table, pid).rows;
}

/**
 * The ancestors of `pid` in the output of `ps -A -o pid=,ppid=,args=`
 * (parent first), or `undefined` when that output does not list `pid`: a
 * `ps` that shows some other table, or none, cannot clear the caller, so the
 * caller refuses (fail closed).
 */
export function ancestorsInTable(text: string, pid: number): ProcessRow[] | undefined {
  const table = parseProcessTable(text);
  return table.has(pid) ? ancestorsOf(table, pid) : undefined;
}

/**
 * Whether the environment text of one process (`ps e`: its command line,
 * then `NAME=value` words) sets {@linkcode GOVERNED_VARIABLE}.
 */
export function environmentSetsGoverned(text: string): boolean {
  return text.indexOf(` ${GOVERNED_VARIABLE}=`) !== -1;
}

/** Whether a command line runs `thoth run`: a thoth program word, options, then `run`. */
export function runsThothRun(args: string): boolean {
  const words = args.split(/\s+/).filter((w) => w !== "");
  for (let i = 0; i < words.length; i++) {
    const last = words[i]!.split(/[/\\]/).pop()!;
    if (!THOTH_PROGRAM.test(last)) continue;
    let j = i + 1;
    while (j < words.length && words[j]!.startsWith("-")) j++;
    if (words[j] === "run") return true;
  }
  return false;
}

/**
 * Why this process runs inside a governed server, in words for the
 * refusal, or `undefined`: {@linkcode GOVERNED_VARIABLE} set in `env`, or
 * an ancestor (`ancestors`, parent first) that has it in its starting
 * environment or is `thoth run`.
 */
export function governedCaller(
  env: Readonly<Record<string, string | undefined>>,
  ancestors: readonly ProcessRow[],
): string | undefined {
  const marker = env[GOVERNED_VARIABLE];
  if (marker !== undefined && marker !== "") {
    return `${GOVERNED_VARIABLE} is set (${JSON.stringify(marker.slice(0, 40))})`;
  }
  for (let i = 0; i < ancestors.length; i++) {
    const row = ancestors[i]!;
    const which = i === 0 ? "its parent process" : "its ancestor process";
    if (runsThothRun(row.args)) return `${which} ${row.pid} is "thoth run"`;
    if (row.governed === true) {
      return `${which} ${row.pid} was started with ${GOVERNED_VARIABLE} set`;
    }
  }
  return undefined;
}
