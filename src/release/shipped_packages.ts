/**
 * The npm packages the shipped code imports: the bare specifiers of static
 * and dynamic imports in `src/` (and `mod.ts`), resolved through deno.json's
 * import map to `npm:` packages. Test-only packages (the MCP servers and the
 * SDK the tests drive) are imported from `tests/` alone, so they are not
 * among them; `deno compile --exclude-unused-npm` leaves them out of the
 * binaries too. Pure: the sources' text and the import map are passed in.
 *
 * @example
 * ```ts
 * npmImportsOf(['import { z } from "zod";'], { zod: "npm:zod@4.6.7" });
 * // [{ name: "zod", version: "4.6.7" }]
 * ```
 */

/** An npm package by name and exact version. */
export interface NpmPackage {
  name: string;
  version: string;
}

/** `import … from "x"`, `export … from "x"` and `import "x"` at a line's start. */
const STATIC_IMPORT = /^\s*(?:import|export)\s(?:[^;"']*?\sfrom\s*)?["']([^"']+)["']/gm;
/** `import("x")` with a literal specifier. */
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/**
 * The npm packages `sources` import through `importMap` (deno.json's
 * "imports"), each once, sorted by name. A specifier the map does not
 * name, a relative one and a `node:` built-in are not packages.
 */
export function npmImportsOf(
  sources: readonly string[],
  importMap: Readonly<Record<string, string>>,
): NpmPackage[] {
  const found = new Map<string, NpmPackage>();
  for (const text of sources) {
    for (const pattern of [STATIC_IMPORT, DYNAMIC_IMPORT]) {
      for (const match of text.matchAll(pattern)) {
        const target = mapped(match[1]!, importMap);
        const pkg = target === undefined ? undefined : npmPackageOf(target);
        if (pkg !== undefined) found.set(`${pkg.name}@${pkg.version}`, pkg);
      }
    }
  }
  return [...found.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** What the import map gives `specifier`: an exact key, else the longest `…/` key it starts with. */
function mapped(specifier: string, map: Readonly<Record<string, string>>): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return undefined;
  const exact = map[specifier];
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const key of Object.keys(map)) {
    if (key.endsWith("/") && specifier.startsWith(key) && (best?.length ?? 0) < key.length) {
      best = key;
    }
  }
  return best === undefined ? undefined : map[best];
}

/** `npm:name@version[/path]` (also `npm:/name@version/`) as a package with an exact version. */
export function npmPackageOf(target: string): NpmPackage | undefined {
  if (!target.startsWith("npm:")) return undefined;
  const rest = target.slice(4).replace(/^\//, "");
  const at = rest.indexOf("@", rest.startsWith("@") ? 1 : 0);
  if (at <= 0) return undefined;
  const name = rest.slice(0, at);
  const version = rest.slice(at + 1).split("/")[0] ?? "";
  return /^\d+\.\d+\.\d+[0-9A-Za-z.+-]*$/.test(version) ? { name, version } : undefined;
}
