/**
 * deno reads every module a literal `import("./…")` reaches, dynamic imports
 * included, into the module graph it builds before a program starts, and
 * keeps it for the process's life. `thoth run` lives as long as its server:
 * the graph its main thread starts with must not list the command tree (the
 * command-line library and every other command), which a session never runs,
 * nor the proxy core, which runs in the sandbox's Worker, nor the full readers
 * of the environment, the intent map and the policy with zod and jsonc-parser,
 * which explain only what the small readers refuse.
 * Those modules are imported by computed URL (`src/cli/unlisted_module.ts`,
 * or `new URL("./….ts", import.meta.url)` below `src/cli/`); `deno compile`
 * cannot see such an import, so each must be embedded by the release build
 * (`RELEASE_BINARIES` in `src/release/build_plan.ts`).
 */
import assert from "node:assert/strict";
import { RELEASE_BINARIES } from "../../src/release/build_plan.ts";
import { denoInfo } from "./_deno_info.ts";

const ROOT = new URL("../../", import.meta.url);

/** Every module deno lists for `entry` before it runs: imports, static and dynamic, not types. */
async function startGraph(entry: string): Promise<Set<string>> {
  const { roots, modules } = await denoInfo(entry);
  const seen = new Set<string>();
  const stack = [...roots];
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

/** Every module the release build of `name` embeds: its entry's graph and each --include's. */
async function embeddedGraph(name: string): Promise<Set<string>> {
  const binary = RELEASE_BINARIES.find((b) => b.name === name)!;
  const embedded = new Set<string>();
  for (const module of [binary.entry, ...(binary.include ?? [])]) {
    for (const s of await startGraph(module)) embedded.add(s);
  }
  return embedded;
}

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
  const tree = await embeddedGraph("thoth");
  assert.ok([...tree].some((s) => /^npm:(commander|@commander-js)/.test(s)), "commander not seen");
  assert.ok(tree.has(href("src/cli/status.ts")));
});

/** The modules a session's main thread starts with that only its Worker or a refusal runs. */
const OFF_PATH = [
  "src/proxy/run_proxy.ts",
  "src/identity/thoth_env.ts",
  "src/config/parse_intent_map.ts",
  "src/policy/parse_policy.ts",
  // Written on a first run only (with the command-runners globs): a session that has a policy
  // does not load it.
  "src/policy/default_policy.ts",
];

Deno.test("thoth run starts without the proxy core and the full readers' libraries", async () => {
  const graph = await startGraph("src/cli/thoth.ts");
  assert.ok(
    graph.has(href("src/proxy/start_sandboxed_proxy.ts")),
    "the sandbox is not in the graph",
  );
  const listed = [...graph].filter((s) =>
    s.startsWith("npm:") || OFF_PATH.some((path) => s === href(path))
  );
  assert.deepEqual(listed, [], "in the graph thoth run starts with");
  // The check can fail: the Worker's graph and the command tree's list them.
  const worker = await startGraph("src/proxy/proxy_worker.ts");
  assert.ok(worker.has(href("src/proxy/run_proxy.ts")), "run_proxy.ts not seen");
  const tree = await embeddedGraph("thoth");
  assert.ok([...tree].some((s) => /^npm:(zod|jsonc-parser)/.test(s)), "zod not seen");
});

Deno.test("every module imported by computed URL is embedded by the release build of its binary", async () => {
  // unlistedModule("…", import.meta.url) and importUnlisted<…>("…", import.meta.url) in src/cli/,
  // new URL("….ts", import.meta.url) below it
  // (a Worker's module too: deno compile embeds neither unless told).
  const computed =
    /(?:unlistedModule|importUnlisted(?:<[^>]*>)?|new URL)\(\s*"([^"]+\.ts)",\s*import\.meta\.url,?\s*\)/g;
  const found: { from: string; target: string }[] = [];
  const sources = async function* (dir: URL): AsyncGenerator<URL> {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) yield* sources(new URL(`${entry.name}/`, dir));
      else if (entry.isFile && entry.name.endsWith(".ts")) yield new URL(entry.name, dir);
    }
  };
  for await (const file of sources(new URL("src/", ROOT))) {
    // Only code: an @example in a doc comment imports nothing.
    const code = (await Deno.readTextFile(file)).replace(/^\s*\*.*$/gm, "");
    for (const match of code.matchAll(computed)) {
      found.push({
        from: file.href.slice(ROOT.href.length),
        target: new URL(match[1]!, file).href,
      });
    }
  }
  assert.ok(found.length >= 8, `only ${found.length} computed imports found`);
  for (const path of OFF_PATH) {
    assert.ok(
      found.some((f) => f.target === href(path)),
      `${path} is not imported by computed URL`,
    );
  }
  // Each binary embeds what its own modules import so: thothctl shares the session's readers.
  for (const binary of RELEASE_BINARIES) {
    const embedded = await embeddedGraph(binary.name);
    const missing = found.filter((f) => embedded.has(href(f.from)) && !embedded.has(f.target));
    assert.deepEqual(
      missing,
      [],
      `${binary.name}: imported by computed URL, embedded by no --include`,
    );
  }
  // The check can fail: without the includes, the command tree is not embedded.
  const thoth = RELEASE_BINARIES.find((b) => b.name === "thoth")!;
  const entryOnly = await startGraph(thoth.entry);
  assert.ok(found.some((f) => entryOnly.has(href(f.from)) && !entryOnly.has(f.target)));
});
