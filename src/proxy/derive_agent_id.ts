/**
 * A readable agent id from an upstream command, for when `--agent-id` is not
 * given: the package or script the command runs, without scope, version or
 * extension.
 *
 * @example
 * ```ts
 * deriveAgentId("npx", ["-y", "@modelcontextprotocol/server-gdrive"]); // "server-gdrive"
 * deriveAgentId("/usr/local/bin/slack-mcp", []); // "slack-mcp"
 * ```
 */

/** Launchers whose first non-flag argument names the real server. */
const LAUNCHERS = new Set([
  "npx",
  "bunx",
  "pnpx",
  "uvx",
  "pipx",
  "node",
  "bun",
  "deno",
  "python",
  "python3",
  "uv",
  "docker",
  "pnpm",
  "yarn",
  "npm",
]);

/** Subcommands of launchers to skip ("deno run", "uv run", "docker run", "pnpm dlx"). */
const SUBCOMMANDS = new Set(["run", "dlx", "exec", "x", "tool"]);

/** Derives an agent id; always returns a non-empty `[a-z0-9._-]` string. */
export function deriveAgentId(command: string, args: readonly string[]): string {
  const base = lastSegment(command).replace(/\.(exe|cmd|bat)$/i, "");
  let target = base;
  if (LAUNCHERS.has(base.toLowerCase())) {
    const candidates = args.filter((arg) => !arg.startsWith("-"));
    const first = candidates.findIndex((arg) => !SUBCOMMANDS.has(arg));
    const pick = first === -1 ? undefined : candidates[first];
    if (pick !== undefined) target = pick;
  }
  const cleaned = cleanName(target);
  return cleaned === "" ? "server" : cleaned;
}

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== "");
  return parts[parts.length - 1] ?? path;
}

function cleanName(target: string): string {
  let name = target.replace(/^(npm|jsr|pypi):/, "");
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    if (slash !== -1) name = name.slice(slash + 1);
  }
  const at = name.indexOf("@");
  if (at > 0) name = name.slice(0, at);
  name = lastSegment(name).replace(/\.(m?[jt]s|cjs|py|sh)$/i, "").replace(/==.*$/, "");
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
}
