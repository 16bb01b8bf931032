/**
 * An import map entry of deno.json (`"imports"`, each map of `"scopes"`)
 * whose key is not a bare name (`zod`, `@scope/pkg/`) but a path, a file URL
 * or any specifier with a scheme (`./src/release/permission_check.ts`,
 * `npm:zod`, `node:util`) swaps a module every task, the build and the
 * release binaries import for another file: one line of deno.json then
 * replaces the permission check's own code with a stub that finds nothing
 * (`deno task check-permissions` and `deno task build` read deno.json; CI
 * runs the check with `--no-config`). A bare name maps only what imports
 * it by that name. Pure.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkImportMapKeys({ imports: { "./src/a.ts": "./src/b.ts", zod: "npm:zod@4" } }, findings);
 * findings.map((f) => f.code); // ["config_override"]
 * ```
 */
import type { Finding } from "./permission_finding.ts";
import { jsonRecord } from "./json_record.ts";

/** A key that names a file or a URL: relative or absolute path, drive, or scheme. */
const SWAPPING_KEY = /^(?:\.{1,2}(?:[\\/]|$)|[\\/]|[A-Za-z]:[\\/]|[A-Za-z][A-Za-z0-9+.-]*:)/;

/**
 * Adds a finding for each import map key of `config` that names a path or
 * a URL rather than a bare name.
 *
 * @example
 * ```ts
 * const findings: Finding[] = [];
 * checkImportMapKeys({ scopes: { "./vendor/": { "node:fs": "./fake_fs.ts" } } }, findings);
 * findings[0]?.where; // 'deno.json "scopes" "./vendor/"'
 * ```
 */
export function checkImportMapKeys(config: unknown, findings: Finding[]): void {
  const root = jsonRecord(config) ?? {};
  const maps: [string, unknown][] = [['deno.json "imports"', root["imports"]]];
  for (const [scope, map] of Object.entries(jsonRecord(root["scopes"]) ?? {})) {
    maps.push([`deno.json "scopes" ${JSON.stringify(scope)}`, map]);
  }
  for (const [where, map] of maps) {
    for (const specifier of Object.keys(jsonRecord(map) ?? {})) {
      if (!SWAPPING_KEY.test(specifier)) continue;
      findings.push({
        code: "config_override",
        where,
        message: `maps ${JSON.stringify(specifier.slice(0, 200))}, a path or URL, so every ` +
          "import of that module (the permission check's own included) loads another file; " +
          'map only bare names ("zod", "@scope/pkg/") and import project files by their path',
      });
    }
  }
}
