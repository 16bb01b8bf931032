/**
 * A deno.json task or import that names deno's cache folder (a `DENO_DIR`
 * inside the project): the permission check skipped the npm package copies
 * there, which deno only ever reads as packages, so naming one would make
 * deno read it as this project's code and configuration. Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkCacheUse({ tasks: { x: "deno run .deno-cache/npm/a.js" } }, ".deno-cache", findings);
 * findings.map((f) => f.code); // ["nested_config"]
 * ```
 */
import type { Finding } from "./permission_finding.ts";
import { jsonRecord } from "./json_record.ts";

/** The task commands and import targets of a deno.json, as text. */
function namesIn(config: unknown): { where: string; text: string }[] {
  const root = jsonRecord(config) ?? {};
  const out: { where: string; text: string }[] = [];
  for (const [name, task] of Object.entries(jsonRecord(root["tasks"]) ?? {})) {
    const command = typeof task === "string" ? task : jsonRecord(task)?.["command"];
    if (typeof command === "string") out.push({ where: `task "${name}"`, text: command });
  }
  const maps = [jsonRecord(root["imports"]), ...Object.values(jsonRecord(root["scopes"]) ?? {})];
  for (const map of maps) {
    for (const value of Object.values(jsonRecord(map) ?? {})) {
      if (typeof value === "string") out.push({ where: 'deno.json "imports"', text: value });
    }
  }
  return out;
}

/**
 * The search skipped the npm package copies in deno's cache, which deno only
 * ever reads as packages; a task or import that names a file in the cache
 * would make deno read one as this project's code and configuration.
 */
export function checkCacheUse(config: unknown, cache: string, findings: Finding[]): void {
  const name = cache.replaceAll("\\", "/").replace(/^\.\//, "").toLowerCase();
  for (const { where, text } of namesIn(config)) {
    if (!text.replaceAll("\\", "/").toLowerCase().includes(name)) continue;
    findings.push({
      code: "nested_config",
      where,
      message: `names "${cache}", deno's cache folder (DENO_DIR), whose npm package copies ` +
        "this check does not read as project files; run and import only the project's own " +
        "files, and keep deno's cache out of tasks and imports",
    });
  }
}
