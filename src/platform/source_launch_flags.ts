/**
 * The flags thoth from source runs with, after `-P=thoth` (see
 * `selfCommandFor` in `src/cli/cli_io.ts`): never prompt for a permission,
 * fetch no module from the network, resolve npm packages only from Deno's
 * cache and deno.lock, and never write the lock. Deno fetches an
 * `import("https://…")`, `import("jsr:…")` or `import("npm:…")` even for a
 * Worker that may import nothing, such as the proxy core.
 *
 * @example
 * ```ts
 * SOURCE_LAUNCH_FLAGS.includes("--no-remote"); // true
 * ```
 */
export const SOURCE_LAUNCH_FLAGS: readonly string[] = [
  "--no-prompt",
  "--no-remote",
  "--cached-only",
  "--frozen-lockfile",
];
