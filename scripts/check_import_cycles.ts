/**
 * CI's import-direction gate: STYLE.md says imports point one way, with no
 * cycles. This reads the module graph deno itself builds (`deno info
 * --json`) from the project's entry points (`mod.ts`, every `src/` module a
 * `deno.json` task runs, and every module a `src/` file starts as a
 * `Worker`), then from each `src/` module those leave unreached (one a
 * command loads by a computed URL, `importUnlisted()`, or none loads), so
 * that every `src/` module's imports are read, and reports each group of
 * `src/` modules that import each other in a cycle, with one path around it. Imports that load code count;
 * `import type` ones and dynamic `import()` do not, unless `--types` asks
 * for type-only imports too.
 *
 * ```sh
 * deno run --allow-read --allow-run scripts/check_import_cycles.ts [--root dir] [--entry file]... [--types]
 * ```
 *
 * Prints one line per group of modules that reach each other, with one
 * cycle among them (`check_import_cycles: cycle: a.ts → b.ts → a.ts`), and
 * a summary line, on stderr. Exit codes: 0 no cycle; 1 at least
 * one; 2 usage error, or a graph deno could not build.
 *
 * @example
 * ```sh
 * deno run --allow-read --allow-run scripts/check_import_cycles.ts
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join, relative, resolve } from "node:path";

/** One module of `deno info --json`, as far as this check reads it. */
interface InfoModule {
  specifier?: string;
  dependencies?: {
    code?: { specifier?: string };
    type?: { specifier?: string };
    isDynamic?: boolean;
  }[];
}

/** A module under `src/` whose file imports a file that a `Worker` starts. */
const WORKER_URL = /new URL\(\s*"(\.{1,2}\/[^"]+\.ts)"\s*,\s*import\.meta\.url\s*\)/g;

/** The `src/` modules named on a `deno.json` task's command line. */
const TASK_MODULE = /(?:^|\s)(src\/[^\s"']+\.ts)(?=\s|$)/g;

/**
 * The groups of nodes of `graph` that reach each other (strongly connected
 * components of more than one node, or one that imports itself): each
 * group's nodes, and one cycle through it, from its first node (by name)
 * and back.
 */
export function importCycles(
  graph: ReadonlyMap<string, readonly string[]>,
): { members: string[]; cycle: string[] }[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  // Tarjan's algorithm, with an explicit stack: a long import chain must not overflow.
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const frames: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, index.size);
    low.set(start, index.get(start)!);
    stack.push(start);
    onStack.add(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, index.size);
          low.set(to, index.get(to)!);
          stack.push(to);
          onStack.add(to);
          frames.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) {
        low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const group: string[] = [];
      let node: string;
      do {
        node = stack.pop()!;
        onStack.delete(node);
        group.push(node);
      } while (node !== frame.node);
      const selfImport = group.length === 1 && (graph.get(group[0]!) ?? []).includes(group[0]!);
      if (group.length > 1 || selfImport) groups.push(group);
    }
  }
  return groups.map((group) => ({
    members: group.sort(),
    cycle: cycleThrough(graph, new Set(group)),
  })).sort((a, b) => a.cycle[0]!.localeCompare(b.cycle[0]!));
}

/** The shortest path from the group's first node back to itself, within the group. */
function cycleThrough(
  graph: ReadonlyMap<string, readonly string[]>,
  group: ReadonlySet<string>,
): string[] {
  const first = [...group].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [first];
  for (let at = 0; at < queue.length; at++) {
    const node = queue[at]!;
    for (const to of graph.get(node) ?? []) {
      if (!group.has(to)) continue;
      if (to === first) {
        const path = [node];
        for (let back = node; back !== first;) {
          back = cameFrom.get(back)!;
          path.unshift(back);
        }
        return [...path, first];
      }
      if (cameFrom.has(to)) continue;
      cameFrom.set(to, node);
      queue.push(to);
    }
  }
  return [first, first];
}

/** The entry points of the project at `root`: `mod.ts`, task modules, worker modules. */
function defaultEntries(root: string): string[] {
  const entries = new Set<string>();
  const mod = join(root, "mod.ts");
  if (exists(mod)) entries.add(mod);
  const config = join(root, "deno.json");
  if (exists(config)) {
    const tasks = (JSON.parse(Deno.readTextFileSync(config)) as { tasks?: Record<string, unknown> })
      .tasks ?? {};
    for (const task of Object.values(tasks)) {
      const command = typeof task === "string"
        ? task
        : (task as { command?: unknown } | null)?.command;
      if (typeof command !== "string") continue;
      for (const match of command.matchAll(TASK_MODULE)) {
        const file = join(root, match[1]!);
        if (exists(file)) entries.add(file);
      }
    }
  }
  for (const file of sourceFiles(join(root, "src"))) {
    const text = Deno.readTextFileSync(file);
    if (!text.includes("new Worker(")) continue;
    for (const match of text.matchAll(WORKER_URL)) {
      const worker = fileURLToPath(new URL(match[1]!, pathToFileURL(file)));
      if (exists(worker)) entries.add(worker);
    }
  }
  return [...entries];
}

function sourceFiles(dir: string): string[] {
  if (!exists(dir)) return [];
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...sourceFiles(path));
    else if (entry.isFile && entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The imports among `src/` modules of the graph deno builds from `entry`, added to `graph`. */
async function addGraph(
  root: string,
  entry: string,
  types: boolean,
  graph: Map<string, string[]>,
): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `deno info could not read "${relative(root, entry)}": ${
        new TextDecoder().decode(out.stderr).trim()
      }`,
    );
  }
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules?: InfoModule[] };
  const src = pathToFileURL(join(root, "src")).href + "/";
  for (const module of info.modules ?? []) {
    const from = module.specifier;
    if (from === undefined || !from.startsWith(src)) continue;
    const to = new Set(graph.get(from) ?? []);
    for (const dep of module.dependencies ?? []) {
      if (dep.isDynamic) continue;
      const target = dep.code?.specifier ?? (types ? dep.type?.specifier : undefined);
      if (target !== undefined && target.startsWith(src)) to.add(target);
    }
    graph.set(from, [...to].sort());
  }
}

/** Writes one line of the report on stderr. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
}

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        root: { type: "string" },
        entry: { type: "string", multiple: true },
        types: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    say(`check_import_cycles: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const root = resolve(parsed.values.root ?? fileURLToPath(new URL("..", import.meta.url)));
  const entries = parsed.values.entry?.map((file) => resolve(file)) ?? defaultEntries(root);
  if (entries.length === 0) {
    say(`check_import_cycles: no entry point found under "${root}"; name one with --entry`);
    return 2;
  }
  const graph = new Map<string, string[]>();
  try {
    for (const entry of entries) await addGraph(root, entry, parsed.values.types, graph);
    if (parsed.values.entry === undefined) {
      // A module no entry reaches by a static import is read from itself.
      for (const file of sourceFiles(join(root, "src")).sort()) {
        if (graph.has(pathToFileURL(file).href)) continue;
        entries.push(file);
        await addGraph(root, file, parsed.values.types, graph);
      }
    }
  } catch (error) {
    say(`check_import_cycles: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const shown = (specifier: string) => relative(root, fileURLToPath(specifier));
  const cycles = importCycles(graph);
  for (const { members, cycle } of cycles) {
    const others = members.length > cycle.length - 1
      ? ` (${members.length} modules reach each other: ${members.map(shown).join(", ")})`
      : "";
    say(`check_import_cycles: cycle: ${cycle.map(shown).join(" → ")}${others}`);
  }
  if (cycles.length > 0) {
    say(`check_import_cycles: ${cycles.length} cycle(s) among src/ modules`);
    return 1;
  }
  say(
    `check_import_cycles: ok: ${graph.size} src/ module(s) from ${entries.length} entry point(s), no import cycle`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
