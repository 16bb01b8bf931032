/**
 * How deno's own cache folder (a `DENO_DIR` inside the project) is told
 * apart from project files: the SQLite databases at its top, and the npm
 * package copies it unpacks, which deno reads only as packages. Pure;
 * `scripts/check_permissions.ts` recognises the cache with them and
 * `project_check.ts` skips its package copies.
 *
 * @example
 * ```ts
 * DENO_CACHE_DB.test("check_cache_v2"); // true
 * isNpmPackageCopy("npm/registry.npmjs.org/zod/4.6.7/package.json"); // true
 * ```
 */

/**
 * The files deno keeps its caches in at the top of a `DENO_DIR`
 * (`dep_analysis_cache_v2`, `check_cache_v2`, …): SQLite databases. A folder
 * is taken for deno's cache only when it holds such a file that starts with
 * {@linkcode SQLITE_HEADER}, and an `npm` folder.
 *
 * @example
 * ```ts
 * DENO_CACHE_DB.test("dep_analysis_cache_v2"); // true
 * DENO_CACHE_DB.test("dep_analysis_cache_v2-wal"); // false
 * ```
 */
export const DENO_CACHE_DB = /^[a-z0-9_]+_cache_v\d+$/;

/** The first 16 bytes of every SQLite database file. */
export const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Whether `path`, relative to a folder recognised as deno's cache and
 * `/`-separated, is a `package.json` of an npm package copy deno unpacked
 * there (`npm/<registry>/[@scope/]<name>/<version>/…/package.json`). deno
 * reads those as packages, never as this project's scripts or workspace;
 * every other file of the cache is checked like a project file.
 *
 * @example
 * ```ts
 * isNpmPackageCopy("npm/registry.npmjs.org/zod/4.6.7/v4/package.json"); // true
 * isNpmPackageCopy("npm/package.json"); // false
 * isNpmPackageCopy("npm/registry.npmjs.org/zod/4.6.7/deno.json"); // false
 * ```
 */
export function isNpmPackageCopy(path: string): boolean {
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return false;
  return /^npm\/[^/]+\/(?:@[^/]+\/)?[^/@][^/]*\/[^/]+\/(?:[^/]+\/)*package\.json$/.test(path);
}
