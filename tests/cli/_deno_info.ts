/**
 * The module graph `deno info --json` reports for an entry of thoth's, read
 * with the project's deno.json: its roots and each module by specifier, with
 * the modules its code imports (static and dynamic, not types).
 */
import assert from "node:assert/strict";

/** One module of the graph, as far as these tests read it. */
export interface InfoModule {
  specifier: string;
  dependencies?: { specifier: string; code?: { specifier?: string }; isDynamic?: boolean }[];
}

/** `deno info --json ENTRY` from the project's root; fails the test when deno does. */
export async function denoInfo(
  entry: string,
): Promise<{ roots: string[]; modules: Map<string, InfoModule> }> {
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
  return { roots: info.roots, modules: new Map(info.modules.map((m) => [m.specifier, m])) };
}
