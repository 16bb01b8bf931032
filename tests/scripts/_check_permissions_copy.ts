/**
 * `scripts/check_permissions.ts` as CI runs it (a subprocess that only reads),
 * on a temp copy of the project's deno.json and deno.lock: the tests change
 * the copy and read the findings the script prints with `--json`.
 *
 * @example
 * ```ts
 * const r = await checkConfigCopy((config) => {
 *   (config["tasks"] as Record<string, string>)["probe"] = "deno repl -P=thoth";
 * });
 * assert.equal(r.code, 1, r.stderr);
 * ```
 */
import assert from "node:assert/strict";
import { tempFolder } from "../_temp_dirs.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const SCRIPT = `${ROOT}/scripts/check_permissions.ts`;

/** One finding as `--json` prints it. */
export interface Found {
  code: string;
  where: string;
  message: string;
}

/**
 * Runs the check on a temp folder holding the real deno.json (as `change`
 * leaves it) and deno.lock; returns its exit code, stderr and findings. Fails
 * the test if the script printed nothing on stdout.
 */
export async function checkConfigCopy(
  change: (config: Record<string, unknown>) => void,
): Promise<{ code: number; stderr: string; findings: Found[] }> {
  const dir = await tempFolder("thoth-perm-copy-");
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  change(config);
  const copy = `${dir}/deno.json`;
  await Deno.writeTextFile(copy, JSON.stringify(config, null, 2));
  await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", "--allow-read", SCRIPT, "--config", copy, "--json"],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  const stdout = new TextDecoder().decode(out.stdout);
  assert.ok(stdout !== "", stderr);
  return { code: out.code, stderr, findings: JSON.parse(stdout).findings };
}
