/**
 * `thoth run` lives as long as its server, so what it loads stays in memory:
 * the entry module and the session module must not load any npm package
 * (the command-line, schema and JSONC libraries load only for help, errors
 * and the other commands). Checked on the module graph `deno info` reports,
 * following static imports only.
 */
import assert from "node:assert/strict";

interface InfoModule {
  specifier: string;
  dependencies?: { specifier: string; code?: { specifier?: string }; isDynamic?: boolean }[];
}

async function staticImports(entry: string): Promise<{ local: string[]; npm: string[] }> {
  const root = new URL("../../", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `--config=${new URL("deno.json", root).pathname}`, entry],
    cwd: root.pathname,
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0, "deno info failed");
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: InfoModule[];
  };
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const npm = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of modules.get(specifier)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (target === undefined || dep.isDynamic) continue;
      if (target.startsWith("npm:")) npm.add(`${specifier} -> ${target}`);
      else stack.push(target);
    }
  }
  return { local: [...seen].filter((s) => s.startsWith("file:")), npm: [...npm] };
}

Deno.test("thoth's entry module and the run session load no npm package", async () => {
  for (const entry of ["src/cli/thoth.ts", "src/cli/run_session.ts"]) {
    const { local, npm } = await staticImports(entry);
    assert.deepEqual(npm, [], `${entry} loads npm packages`);
    assert.ok(local.length > 3, `${entry}: only ${local.length} modules seen`);
  }
});

Deno.test("the full command tree does load the command-line library (the check can fail)", async () => {
  const { npm } = await staticImports("src/cli/thoth_program.ts");
  assert.ok(npm.some((edge) => edge.includes("commander")), npm.join("\n"));
});
