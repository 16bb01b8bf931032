/**
 * The refusal of `thoth approvals list`, `approve`, `deny` and `watch` run
 * inside a server thoth governs (see `src/approval/governed_caller.ts`): a
 * person answers approval requests in a terminal of their own, never through
 * a tool the model calls. The environment is always checked; on Linux and
 * macOS the ancestors of this process too, through `ps` (Deno lets only a
 * process with every permission read `/proc`): one `ps` for the process
 * table (read once: {@linkcode processTable}, whose rows the answer's
 * process chain is read from too), one for the ancestors' starting
 * environments. `ps` is run by its
 * absolute path ({@linkcode PS_PATHS}, the only programs `thothctl` may run),
 * never looked up on the caller's `PATH`, which a model could point at a
 * `ps` of its own. Where the process tree cannot be read (no `ps` there, no
 * permission to run it, a `ps` that fails or does not list this process)
 * or not read to its top (more than `MAX_ANCESTORS` parents: a deep chain
 * of shells) the command refuses: fail closed. On Windows only the
 * environment is checked.
 *
 * @example
 * ```ts
 * await refuseGovernedCaller(io.env, "thoth", "approve"); // throws approval.governed_caller inside a server
 * ```
 */
import {
  ancestorWalk,
  environmentSetsGoverned,
  governedCaller,
  parseProcessTable,
  type ProcessRow,
} from "../approval/governed_caller.ts";
import { AppError } from "../errors.ts";
import { PS_PATHS, psPath, runPs } from "../platform/absolute_ps.ts";

/** The process table as `ps` showed it, with the `ps` that showed it, or why it could not. */
export type ProcessTable =
  | { path: string; rows: ReadonlyMap<number, ProcessRow> }
  | { unreadable: string };

let table: Promise<ProcessTable> | undefined;

/**
 * The process table (`ps -A -ww -o pid=,ppid=,args=`), read once in this
 * process: the check here and the answer's `given` (its process chain: see
 * `answer_terminal.ts`) read the same rows, and `ps` runs once. A table
 * that does not list this process is unreadable.
 */
export function processTable(): Promise<ProcessTable> {
  table ??= (async () => {
    const path = psPath();
    if (path === undefined) {
      return { unreadable: `no ps this process may run at ${PS_PATHS.join(" or ")}` };
    }
    const text = await runPs(path, ["-A", "-ww", "-o", "pid=,ppid=,args="]);
    if (text === undefined) return { unreadable: `${path} failed` };
    const rows = parseProcessTable(text);
    if (!rows.has(Deno.pid)) return { unreadable: `${path} did not list this process` };
    return { path, rows };
  })();
  return table;
}

/**
 * This process's ancestors as `ps` shows them, with their environments
 * read, or why the process tree could not be read, or the number of
 * ancestors read when the chain goes on past them (`tooDeep`).
 */
async function ancestors(): Promise<ProcessRow[] | { unreadable: string } | { tooDeep: number }> {
  const read = await processTable();
  if ("unreadable" in read) return read;
  const path = read.path;
  const walk = ancestorWalk(read.rows, Deno.pid);
  if (walk.cut) return { tooDeep: walk.rows.length };
  const rows = walk.rows;
  if (rows.length === 0) return rows;
  // `e` adds each process's starting environment after its command line (own processes only).
  const env = await runPs(path, [
    "e",
    "-ww",
    "-o",
    "pid=,args=",
    "-p",
    rows.map((r) => r.pid).join(","),
  ]);
  if (env === undefined) return { unreadable: `${path} could not show the parent processes` };
  const governed = new Set<number>();
  for (const line of env.split("\n")) {
    const m = /^\s*(\d+)\s/.exec(line);
    if (m !== null && environmentSetsGoverned(line)) governed.add(Number(m[1]));
  }
  return rows.map((r) => ({ ...r, governed: governed.has(r.pid) }));
}

/**
 * Throws `approval.governed_caller` when this process runs inside a server
 * thoth governs, or (on Linux and macOS) when its process tree cannot be
 * read to its top; `program` names the command in the refusal. Returns whether it read
 * the process tree (false on Windows, where only the environment is checked):
 * an answer records it as `treeChecked`.
 */
export async function refuseGovernedCaller(
  env: Readonly<Record<string, string | undefined>>,
  program: string,
  command: string,
  os: string = Deno.build.os,
): Promise<boolean> {
  let why = governedCaller(env, []);
  let checked = false;
  if (why === undefined && os !== "windows") {
    const rows = await ancestors();
    if ("unreadable" in rows) {
      throw new AppError(
        "approval.governed_caller",
        `${program} approvals ${command} refuses to run: it cannot tell whether it runs inside ` +
          `an MCP server that thoth governs (${rows.unreadable}), where a model with a tool ` +
          "that runs commands could answer its own approval request",
        {
          hints: [
            "install ps (the procps package on Linux) at /bin/ps or /usr/bin/ps",
            `then run "${program} approvals ${command}" in a terminal of your own, outside ` +
            "any MCP server thoth governs",
          ],
        },
      );
    }
    if ("tooDeep" in rows) {
      throw new AppError(
        "approval.governed_caller",
        `${program} approvals ${command} refuses to run: it cannot tell whether it runs inside ` +
          `an MCP server that thoth governs (it read ${rows.tooDeep} parent processes up its ` +
          "process tree without reaching the top), where a model with a tool that runs " +
          "commands could answer its own approval request from under a deep chain of shells",
        {
          hints: [
            `run "${program} approvals ${command}" in a terminal of your own (a new terminal ` +
            "window or login), outside any MCP server thoth governs",
          ],
        },
      );
    }
    why = governedCaller({}, rows);
    checked = true;
  }
  if (why === undefined) return checked;
  throw new AppError(
    "approval.governed_caller",
    `${program} approvals ${command} refuses to run inside an MCP server that thoth governs ` +
      `(${why}): a model with a tool that runs commands could answer its own approval request`,
    {
      hints: [
        `run "${program} approvals ${command}" in your own terminal: a person answers approval ` +
        "requests, never a tool the model calls",
      ],
    },
  );
}
