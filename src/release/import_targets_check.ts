/**
 * Where deno.json's import map sends each import: only to an npm package
 * (deno.lock pins it), a `node:` built-in or a file inside the project. A
 * URL is code fetched from elsewhere, and a `file:` URL, an absolute path
 * or a `..` path is code outside what the check and a reviewer see;
 * `"importMap"` names a map the check does not read, and `"vendor": true`
 * runs remote modules as they are on disk. Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkImportTargets({ imports: { x: "https://example.com/x.ts" } }, findings);
 * findings.map((f) => f.code); // ["foreign_code"]
 * ```
 */
import type { Finding } from "./permission_finding.ts";
import { outsideProject } from "./deno_flag_check.ts";
import { jsonRecord } from "./json_record.ts";

/**
 * Why an import map target of deno.json is code this check does not read, or
 * undefined for an npm package (deno.lock pins it), a `node:` built-in or a
 * relative path inside the project.
 */
function importTargetProblem(target: string): Finding["code"] | undefined {
  if (/^(?:npm|node):/i.test(target)) return undefined;
  if (/^file:/i.test(target)) return "outside_project";
  // A scheme of two or more letters (`C:` is a drive, an absolute path below).
  if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(target)) return "foreign_code";
  return outsideProject(target) === undefined ? undefined : "outside_project";
}

/**
 * The import map in deno.json (`"imports"`, each map of `"scopes"`) may map a
 * specifier only to an npm package, a `node:` built-in or a file inside the
 * project: a URL (`https://`, `jsr:`, `data:`) is code fetched from elsewhere,
 * and a `file:` URL, an absolute path or a `..` path is code outside what this
 * check and a reviewer see, which every task and the release binaries then
 * run. `"importMap"` points at a map this check does not read; `"vendor":
 * true` runs remote modules from the vendor folder as they are on disk, as
 * the `--vendor` flag does.
 */
export function checkImportTargets(config: unknown, findings: Finding[]): void {
  const root = jsonRecord(config) ?? {};
  const maps: [string, unknown][] = [['deno.json "imports"', root["imports"]]];
  for (const [scope, map] of Object.entries(jsonRecord(root["scopes"]) ?? {})) {
    maps.push([`deno.json "scopes" ${JSON.stringify(scope)}`, map]);
  }
  for (const [where, map] of maps) {
    for (const [specifier, target] of Object.entries(jsonRecord(map) ?? {})) {
      if (typeof target !== "string") continue;
      const code = importTargetProblem(target);
      if (code === undefined) continue;
      findings.push({
        code,
        where,
        message: `maps ${JSON.stringify(specifier)} to ${JSON.stringify(target)}, ` +
          (code === "foreign_code"
            ? "code fetched from outside the project"
            : "a file outside the project") +
          ", which every task and the release binaries load unchecked; map it to an npm: " +
          "package (pinned by deno.lock) or a relative path inside the project",
      });
    }
  }
  if (root["importMap"] !== undefined) {
    findings.push({
      code: "foreign_code",
      where: 'deno.json "importMap"',
      message: "names an import map this check does not read, which decides the code every " +
        'import loads; move its entries into deno.json "imports"',
    });
  }
  const vendor = root["vendor"];
  if (vendor !== undefined && vendor !== false) {
    findings.push({
      code: "runtime_flag",
      where: 'deno.json "vendor"',
      message: `is ${JSON.stringify(vendor)}, which runs remote modules from the vendor ` +
        "folder as they are on disk, where anyone who can write the project may change " +
        'them (as --vendor does); remove "vendor" or set it to false',
    });
  }
}
