/**
 * deno reads every module a literal `import("./…")` reaches, dynamic imports
 * included, into the module graph it builds before a program starts, and
 * keeps it for the process's life. `thoth run` lives as long as its server:
 * the graph its main thread starts with must not list the command tree (the
 * command-line library and every other command), which a session never runs.
 * (The full readers of the environment and the intent map, zod and
 * jsonc-parser, are still listed: they explain what the small readers refuse.)
 * Those modules are imported by computed URL (`src/cli/unlisted_module.ts`);
 * `deno compile` cannot see such an import, so each must be embedded by the
 * release build (`RELEASE_BINARIES` in `src/release/build_plan.ts`).
 */
import assert from "node:assert/strict";
import { RELEASE_BINARIES } from "../../src/release/build_plan.ts";

const ROOT = new URL("../../", import.meta.url);

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string } }[];
}

/** Every module deno lists for `entry` before it runs: imports, static and dynamic, not types. */
async function startGraph(entry: string): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `--config=${new URL("deno.json", ROOT).pathname}`, entry],
    cwd: ROOT.pathname,
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0, "deno info failed");
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: InfoModule[];
  };
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (target !== undefined) stack.push(target);
    }
  }
  return seen;
}

const href = (path: string) => new URL(path, ROOT).href;

Deno.test("thoth run starts with a module graph without the command tree", async () => {
  const graph = await startGraph("src/cli/thoth.ts");
  assert.ok(graph.has(href("src/cli/run_session.ts")), "the run session is not in the graph");
  const listed = [...graph].filter((s) =>
    /^npm:(commander|@commander-js)/.test(s) ||
    [
      "src/cli/thoth_program.ts",
      "src/cli/thoth_commands.ts",
      "src/cli/status.ts",
      "src/cli/wrap_config.ts",
      "src/cli/config_run_json.ts",
    ].some((path) => s === href(path))
  );
  assert.deepEqual(listed, [], "in the graph thoth run starts with");
  // The check can fail: the command tree's own graph lists them.
  const tree = await startGraph("src/cli/thoth_program.ts");
  assert.ok([...tree].some((s) => /^npm:(commander|@commander-js)/.test(s)), "commander not seen");
  assert.ok(tree.has(href("src/cli/status.ts")));
});

Deno.test("every module imported by computed URL is embedded by the release build of its binary", async () => {
  const computed = /unlistedModule\(\s*"([^"]+)",\s*import\.meta\.url\s*\)/g;
  const found: { from: string; target: string }[] = [];
  for await (const entry of Deno.readDir(new URL("src/cli/", ROOT))) {
    if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
    const file = new URL(`src/cli/${entry.name}`, ROOT);
    for (const match of (await Deno.readTextFile(file)).matchAll(computed)) {
      found.push({ from: entry.name, target: new URL(match[1]!, file).href });
    }
  }
  assert.ok(found.length >= 3, `only ${found.length} computed imports found`);
  const thoth = RELEASE_BINARIES.find((b) => b.name === "thoth")!;
  const embedded = new Set<string>();
  for (const module of [thoth.entry, ...(thoth.include ?? [])]) {
    for (const s of await startGraph(module)) embedded.add(s);
  }
  const missing = found.filter((f) => !embedded.has(f.target));
  assert.deepEqual(missing, [], "imported by computed URL, embedded by no --include");
  // The check can fail: without the includes, the command tree is not embedded.
  const entryOnly = await startGraph(thoth.entry);
  assert.ok(found.some((f) => !entryOnly.has(f.target)));
});
