/**
 * `thoth run` lives as long as its server, so what it loads stays in memory:
 * the entry module, the session module and the proxy core's worker must not
 * load any npm package (the command-line, schema and JSONC libraries load
 * only for help, errors and the other commands) nor any `node:` built-in
 * (the first one starts Deno's Node compatibility layer, several MiB for the
 * life of the session). Checked on the module graph `deno info` reports,
 * following static imports only.
 */
import assert from "node:assert/strict";
import { denoInfo } from "./_deno_info.ts";

async function staticImports(
  entry: string,
): Promise<{ local: string[]; npm: string[]; node: string[] }> {
  const { roots, modules } = await denoInfo(entry);
  const seen = new Set<string>();
  const npm = new Set<string>();
  const node = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (target === undefined || dep.isDynamic) continue;
      if (target.startsWith("npm:")) npm.add(`${specifier} -> ${target}`);
      else if (target.startsWith("node:")) node.add(`${specifier} -> ${target}`);
      else stack.push(target);
    }
  }
  return {
    local: [...seen].filter((s) => s.startsWith("file:")),
    npm: [...npm],
    node: [...node],
  };
}

Deno.test("thoth's entry module, the run session and the core load no npm package or node: built-in", async () => {
  for (const entry of ["src/cli/thoth.ts", "src/cli/run_session.ts", "src/proxy/proxy_worker.ts"]) {
    const { local, npm, node } = await staticImports(entry);
    assert.deepEqual(npm, [], `${entry} loads npm packages`);
    assert.deepEqual(node, [], `${entry} loads node: built-ins`);
    assert.ok(local.length > 3, `${entry}: only ${local.length} modules seen`);
  }
});

Deno.test("the full command tree does load the command-line library (the check can fail)", async () => {
  const { npm } = await staticImports("src/cli/thoth_program.ts");
  assert.ok(npm.some((edge) => edge.includes("commander")), npm.join("\n"));
});

Deno.test("a static node: import is seen (the check can fail)", async () => {
  // A module outside thoth run's graph that still imports a node: built-in statically.
  const { node } = await staticImports("src/platform/read_small_regular_file.ts");
  assert.ok(node.some((edge) => edge.includes("-> node:")), node.join("\n"));
});

Deno.test("the endpoint identity thoth run records loads no node: built-in", async () => {
  // Its machine-id digest uses the project's own HMAC-SHA256, not node:crypto.
  const entry = "src/identity/endpoint_identity.ts";
  const { local, node } = await staticImports(entry);
  assert.deepEqual(node, [], `${entry} loads node: built-ins`);
  const root = new URL("../../", import.meta.url);
  assert.ok(local.includes(new URL("src/audit/sha256.ts", root).href), local.join("\n"));
  // thoth run's main thread resolves it: it is in the run session's graph.
  const session = (await staticImports("src/cli/run_session.ts")).local;
  assert.ok(session.includes(new URL(entry, root).href), "run_session.ts does not load it");
});

Deno.test("thoth run's main thread does not load the worker's engine a second time", async () => {
  // What the worker runs (the approval engine, the detectors, policy evaluation,
  // the audit writer) loaded in the main isolate too is kept there, unused,
  // next to the worker's copy for the life of the session.
  const main = new Set([
    ...(await staticImports("src/cli/thoth.ts")).local,
    ...(await staticImports("src/cli/run_session.ts")).local,
  ]);
  const engine = [
    "src/approval/create_approver.ts",
    "src/approval/approval_queue.ts",
    "src/policy/detectors/detectors.ts",
    "src/policy/evaluate.ts",
    "src/audit/audit_log.ts",
    "src/proxy/relay_session.ts",
  ];
  const root = new URL("../../", import.meta.url);
  const loaded = engine.filter((path) => main.has(new URL(path, root).href));
  assert.deepEqual(loaded, [], "loaded by thoth run's main thread");
  // The check can fail: the worker's own graph has every one of them.
  const worker = new Set((await staticImports("src/proxy/proxy_worker.ts")).local);
  assert.deepEqual(engine.filter((path) => !worker.has(new URL(path, root).href)), []);
});
