/**
 * The commands each npm package this project depends on adds to `deno task`,
 * by `name@version`: deno task runs a top-level npm package's `bin` entries
 * as commands, with every permission (`deno run -A`), and one named `deno`
 * or like a built-in (`echo`, `cp`) runs instead of it. The permission check
 * refuses a package missing here and a command that shadows; a test reads
 * each package's `package.json` in the npm cache and compares.
 *
 * To add a package: read `"bin"` in its `package.json` (a string stands for
 * the package name without its scope; `"directories": { "bin" }` cannot be
 * listed) and add its command names, `[]` when it has none.
 *
 * @example
 * ```ts
 * NPM_BINS["zod@4.6.7"]; // []
 * ```
 */
export const NPM_BINS: Readonly<Record<string, readonly string[]>> = {
  "@commander-js/extra-typings@15.1.0": [],
  "@modelcontextprotocol/sdk@1.32.2": [],
  "@modelcontextprotocol/server-everything@2026.8.31": ["mcp-server-everything"],
  "@modelcontextprotocol/server-filesystem@2026.8.31": ["mcp-server-filesystem"],
  "@modelcontextprotocol/server-memory@2026.8.31": ["mcp-server-memory"],
  "commander@15.1.0": [],
  "jsonc-parser@3.3.1": [],
  "zod@4.6.7": [],
};
