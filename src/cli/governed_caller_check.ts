/**
 * The refusal of `thoth approvals approve`, `deny` and `watch` run inside a
 * server thoth governs (see `src/approval/governed_caller.ts`): a person
 * answers approval requests in a terminal of their own, never through a
 * tool the model calls. The environment is always checked; on Linux and
 * macOS the ancestors of this process too, through `ps` (Deno lets only a
 * process with every permission read `/proc`): one `ps` for the process
 * table, one for the ancestors' starting environments. Where `ps` cannot
 * run (Windows, `thothctl`, which runs no program, a `ps` that fails) only
 * the environment is checked.
 *
 * @example
 * ```ts
 * await refuseGovernedCaller(io.env, "thoth", "approve"); // throws approval.governed_caller inside a server
 * ```
 */
import {
  ancestorsOf,
  environmentSetsGoverned,
  governedCaller,
  parseProcessTable,
  type ProcessRow,
} from "../approval/governed_caller.ts";
import { AppError } from "../errors.ts";
import { helperEnv } from "../platform/helper_env.ts";

/** `ps` with `args`, its output, or undefined when it cannot run or fails. */
async function ps(args: readonly string[]): Promise<string | undefined> {
  try {
    if (Deno.permissions.querySync({ name: "run", command: "ps" }).state !== "granted") {
      return undefined;
    }
    const out = await new Deno.Command("ps", {
      args: [...args],
      clearEnv: true,
      env: helperEnv(),
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : undefined;
  } catch {
    return undefined;
  }
}

/** This process's ancestors as `ps` shows them, with their environments read; [] when it cannot. */
async function ancestors(): Promise<ProcessRow[]> {
  if (Deno.build.os === "windows") return [];
  const table = await ps(["-A", "-ww", "-o", "pid=,ppid=,args="]);
  if (table === undefined) return [];
  const rows = ancestorsOf(parseProcessTable(table), Deno.pid);
  if (rows.length === 0) return rows;
  // `e` adds each process's starting environment after its command line (own processes only).
  const env = await ps(["e", "-ww", "-o", "pid=,args=", "-p", rows.map((r) => r.pid).join(",")]);
  if (env === undefined) return rows;
  const governed = new Set<number>();
  for (const line of env.split("\n")) {
    const m = /^\s*(\d+)\s/.exec(line);
    if (m !== null && environmentSetsGoverned(line)) governed.add(Number(m[1]));
  }
  return rows.map((r) => ({ ...r, governed: governed.has(r.pid) }));
}

/**
 * Throws `approval.governed_caller` when this process runs inside a server
 * thoth governs; `program` names the command in the refusal.
 */
export async function refuseGovernedCaller(
  env: Readonly<Record<string, string | undefined>>,
  program: string,
  command: string,
): Promise<void> {
  const why = governedCaller(env, []) ?? governedCaller({}, await ancestors());
  if (why === undefined) return;
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
