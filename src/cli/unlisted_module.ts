/**
 * The URL of a module that `thoth run` loads only off its usual path, for a
 * dynamic `import()` that deno does not see before it is asked for.
 *
 * deno reads every module a literal `import("./…")` reaches, dynamic imports
 * included, into the module graph it builds before the program starts, and
 * keeps that graph (each module's source and what it imports) for the
 * process's life. A session lives as long as its MCP server: its main thread
 * listed 672 of thoth's modules and ran 156 of them (the rest: the command
 * tree with its npm packages, and a second copy of the proxy core, which runs
 * in the sandbox's Worker).
 * An import whose specifier is computed is resolved when it runs instead.
 * `deno compile` cannot see it either: the compiled binary embeds such a
 * module through `--include` (`RELEASE_BINARIES` in
 * `src/release/build_plan.ts`), or through the proxy core's Worker, which it
 * already includes.
 *
 * @example
 * ```ts
 * const { runProxy } = await import(
 *   unlistedModule("../proxy/run_proxy.ts", import.meta.url)
 * ) as typeof import("../proxy/run_proxy.ts");
 * ```
 */

/** `path` resolved against `base` (the importing module's `import.meta.url`). */
export function unlistedModule(path: string, base: string): string {
  return new URL(path, base).href;
}

/**
 * Imports the module at `path` (resolved against `base`, the importing module's
 * `import.meta.url`) by its computed URL; `M` is its type (`typeof import("./x.ts")`).
 *
 * @example
 * ```ts
 * const { statusCommand } = await importUnlisted<typeof import("./status.ts")>(
 *   "./status.ts",
 *   import.meta.url,
 * );
 * ```
 */
export function importUnlisted<M>(path: string, base: string): Promise<M> {
  return import(unlistedModule(path, base)) as Promise<M>;
}
