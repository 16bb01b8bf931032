/**
 * A readable agent id from an upstream command, for when `--agent-id` is not
 * given: the package, module, image or script the command runs, without
 * scope, version, tag or extension.
 *
 * For a known launcher (`npx`, `deno`, `docker`, `uvx`, …) the server is the
 * first argument that is not a subcommand word, an option, or the value of an
 * option that takes one; an option that names the package itself (`npx -p`,
 * `uvx --from`, `python -m`) wins. The id is the server's name in policy rules
 * and audit records, so these tables change only to fix a wrong name.
 *
 * @example
 * ```ts
 * deriveAgentId("npx", ["-y", "@modelcontextprotocol/server-gdrive"]); // "server-gdrive"
 * deriveAgentId("docker", ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "mcp/github"]); // "github"
 * deriveAgentId("/usr/local/bin/slack-mcp", []); // "slack-mcp"
 * deriveAgentId("npx", ["-y", "ghp_…"]); // "server": the name is a key (see below)
 * ```
 *
 * A name that is a key or token (a server command whose package, script or
 * program is named by a pasted `ghp_…` or `sk-…`: a key's issuer prefix with a
 * random key body right after it, see `prefixedRandomKey`; not
 * `AsiaPacificSales2` nor `asia-kb-<commit>`) is never the agent id: the id is shown,
 * written into the audit log for good and sent, so it falls back to
 * {@linkcode KEY_FALLBACK_ID}. `thoth run` refuses such a command without
 * `--agent-id` (see {@linkcode agentIdWouldBeKey}), so that no session runs
 * unnamed, and judges the agent id by the key detectors too before the
 * session starts (`prepare_session.ts`). This module loads no detector: it
 * is on `thoth run`'s main thread.
 */
import { prefixedRandomKey } from "../identity/shown_env_value.ts";

/** The agent id of a server whose command would name it by a key or token. */
export const KEY_FALLBACK_ID = "server";

/**
 * What a launcher makes of the value of one of its options, given as the next
 * argument or after `=`: `"value"` configures the launcher and is skipped,
 * `"server"` names the package or module that is the server, `"code"` is
 * inline code, so no argument names the server. Options missing from a table
 * take no value.
 */
type OptionRole = "value" | "server" | "code";

/** A launcher's subcommand words (`deno run`, `pnpm dlx`) and valued options. */
interface Launcher {
  readonly subcommands: readonly string[];
  readonly options: Readonly<Record<string, OptionRole>>;
}

/** npm-style runners: the package `-p` installs is the server; `-c` runs a shell line. */
const NPM_OPTIONS: Record<string, OptionRole> = {
  "-p": "server",
  "--package": "server",
  "-c": "code",
  "--call": "code",
  "--registry": "value",
  "--loglevel": "value",
  "--cache": "value",
  "--userconfig": "value",
  "--prefix": "value",
  "-w": "value",
  "--workspace": "value",
  "-C": "value",
  "--dir": "value",
  "--cwd": "value",
};

/** Options of `deno run` and `deno x` that take a separate value (the rest need `=`). */
const DENO_OPTIONS: Record<string, OptionRole> = {
  "-p": "server",
  "--package": "server",
  "-c": "value",
  "--config": "value",
  "--import-map": "value",
  "--lock": "value",
  "--cert": "value",
  "--location": "value",
  "--seed": "value",
  "--ext": "value",
  "--preload": "value",
  "--require": "value",
  "--conditions": "value",
  "--node-modules-linker": "value",
  "--min-dep-age": "value",
  "--inspect-publish-uid": "value",
};

const NODE_OPTIONS: Record<string, OptionRole> = {
  "-r": "value",
  "--require": "value",
  "--import": "value",
  "--loader": "value",
  "--experimental-loader": "value",
  "--env-file": "value",
  "--env-file-if-exists": "value",
  "-C": "value",
  "--conditions": "value",
  "--input-type": "value",
  "--title": "value",
  "--watch-path": "value",
  "-e": "code",
  "--eval": "code",
  "-p": "code",
  "--print": "code",
};

const BUN_OPTIONS: Record<string, OptionRole> = {
  "-r": "value",
  "--preload": "value",
  "--import": "value",
  "-c": "value",
  "--config": "value",
  "--cwd": "value",
  "--env-file": "value",
  "--tsconfig-override": "value",
  "-e": "code",
  "--eval": "code",
};

const PYTHON_OPTIONS: Record<string, OptionRole> = {
  "-m": "server",
  "-c": "code",
  "-W": "value",
  "-X": "value",
  "--check-hash-based-pycs": "value",
};

/** `uv run`, `uvx` (`uv tool run`) and `pipx run`: `--from`, `--spec` and `-m` name the server. */
const PYTHON_RUNNER_OPTIONS: Record<string, OptionRole> = {
  "--from": "server",
  "--spec": "server",
  "-m": "server",
  "--module": "server",
  "--with": "value",
  "--with-editable": "value",
  "--with-requirements": "value",
  "-p": "value",
  "--python": "value",
  "--directory": "value",
  "--project": "value",
  "--package": "value",
  "--env-file": "value",
  "--extra": "value",
  "--group": "value",
  "--index": "value",
  "--default-index": "value",
  "-i": "value",
  "--index-url": "value",
  "--extra-index-url": "value",
  "--cache-dir": "value",
  "--config-file": "value",
  "--pip-args": "value",
};

/** The valued options of `docker run` most seen in MCP configs, and docker's global ones. */
const DOCKER_OPTIONS: Record<string, OptionRole> = Object.fromEntries(
  [
    ...["-e", "--env", "--env-file", "-v", "--volume", "--mount", "--volumes-from", "--tmpfs"],
    ...["--name", "-p", "--publish", "--expose", "--network", "--net", "--add-host", "--dns"],
    ...["--entrypoint", "-w", "--workdir", "-u", "--user", "--group-add", "-l", "--label"],
    ...["-h", "--hostname", "--platform", "--pull", "--restart", "--runtime", "--init-path"],
    ...["--cap-add", "--cap-drop", "--device", "--security-opt", "--ulimit", "--gpus"],
    ...["-m", "--memory", "--memory-swap", "--cpus", "-c", "--cpu-shares", "--shm-size"],
    ...["--log-opt", "--log-driver", "--pid", "--ipc", "--uts", "--userns", "--cgroupns"],
    ...["-a", "--attach", "--context", "-H", "--host", "--config", "--log-level"],
  ].map((option) => [option, "value"]),
);

/** Launchers whose arguments name the real server, by lowercased command name. */
const LAUNCHERS: Readonly<Record<string, Launcher>> = {
  npx: { subcommands: [], options: NPM_OPTIONS },
  pnpx: { subcommands: [], options: NPM_OPTIONS },
  bunx: { subcommands: [], options: NPM_OPTIONS },
  npm: { subcommands: ["exec", "x", "run"], options: NPM_OPTIONS },
  pnpm: { subcommands: ["dlx", "exec", "run"], options: NPM_OPTIONS },
  yarn: { subcommands: ["dlx", "exec", "run"], options: NPM_OPTIONS },
  deno: { subcommands: ["run", "x"], options: DENO_OPTIONS },
  node: { subcommands: [], options: NODE_OPTIONS },
  bun: { subcommands: ["run", "x"], options: BUN_OPTIONS },
  python: { subcommands: [], options: PYTHON_OPTIONS },
  python3: { subcommands: [], options: PYTHON_OPTIONS },
  uv: { subcommands: ["run", "tool"], options: PYTHON_RUNNER_OPTIONS },
  uvx: { subcommands: [], options: PYTHON_RUNNER_OPTIONS },
  pipx: { subcommands: ["run"], options: PYTHON_RUNNER_OPTIONS },
  docker: { subcommands: ["run", "container", "exec"], options: DOCKER_OPTIONS },
};

/**
 * Derives an agent id from an upstream command and its arguments; always
 * returns a non-empty `[a-z0-9._-]` string, at most 64 characters.
 *
 * @example
 * ```ts
 * deriveAgentId("deno", ["run", "-A", "--config", "/x/deno.json", "npm:@scope/server-a@1.0"]);
 * // "server-a"
 * deriveAgentId("uvx", ["--from", "mcp-server-git==1.2", "mcp-server-git"]); // "mcp-server-git"
 * ```
 */
export function deriveAgentId(command: string, args: readonly string[]): string {
  const { name, isKey } = derivedName(command, args);
  return isKey ? KEY_FALLBACK_ID : name;
}

/**
 * The name {@linkcode deriveAgentId} would derive from a server command, as
 * the command gives it (its case kept), when that name is a key or token;
 * undefined when it is not. `thoth run` refuses such a command unless
 * `--agent-id` names the server, and shows this name by fingerprint only.
 *
 * @example
 * ```ts
 * agentIdWouldBeKey("npx", ["-y", "@modelcontextprotocol/server-gdrive"]); // undefined
 * agentIdWouldBeKey("npx", ["-y", "ghp_…"]); // "ghp_…"
 * ```
 */
export function agentIdWouldBeKey(command: string, args: readonly string[]): string | undefined {
  const { asGiven, isKey } = derivedName(command, args);
  return isKey ? asGiven : undefined;
}

/** The derived name, as given and cleaned, and whether either is a key. */
function derivedName(
  command: string,
  args: readonly string[],
): { name: string; asGiven: string; isKey: boolean } {
  const base = lastSegment(command).replace(/\.(exe|cmd|bat)$/i, "");
  // "cmd /c npx -y pkg" (Windows) runs the rest as a command of its own.
  if (/^cmd$/i.test(base) && /^\/[ck]$/i.test(args[0] ?? "") && args[1] !== undefined) {
    return derivedName(args[1], args.slice(2));
  }
  // "python3.12" is python; a versioned node or deno binary is that launcher too.
  const launcherName = base.toLowerCase().replace(/^(python|node|deno|bun)[\d.]+$/, "$1");
  const launcher = LAUNCHERS[launcherName];
  const target = (launcher === undefined ? undefined : launchedServer(launcher, args)) ?? base;
  const asGiven = bareName(scriptName(target));
  const cleaned = cleanName(asGiven);
  const name = cleaned === "" ? "server" : cleaned;
  // Lowercasing can hide a key from a detector (`AKIA…`), so the name as given is judged too.
  return { name, asGiven, isKey: prefixedRandomKey(asGiven) || prefixedRandomKey(name) };
}

/**
 * A script path named only by its role (`/srv/github-mcp/build/index.js`)
 * stands for its package folder: the first folder above it that is not a
 * build output (`github-mcp`).
 */
function scriptName(target: string): string {
  // Only a script file: "@acme/server" is a package, named "server".
  const parts = target.split(/[\\/]/).filter((p) => p !== "");
  const last = parts.at(-1) ?? "";
  if (parts.length < 2 || !SCRIPT.test(last) || /^(npm|jsr|pypi):/.test(target)) return target;
  const file = last.replace(SCRIPT, "");
  if (!ROLE_NAMES.has(file.toLowerCase())) return target;
  const folder = parts.slice(0, -1).findLast((part) => !BUILD_FOLDERS.has(part.toLowerCase()));
  return folder ?? target;
}

const SCRIPT = /\.(m?[jt]s|cjs|py)$/i;
const ROLE_NAMES = new Set(["index", "main", "server", "cli", "__main__", "app", "mod"]);
const BUILD_FOLDERS = new Set(["build", "dist", "lib", "out", "src", "bin", "."]);

/**
 * The argument of a launcher's command line that names the server, or
 * undefined when none does. The first argument after `--` is the server. An
 * argument right after an option missing from the table is that option's
 * value when it looks like one (see {@linkcode looksLikeValue}).
 */
function launchedServer(launcher: Launcher, args: readonly string[]): string | undefined {
  let afterUnknownOption = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return args[i + 1];
    if (arg.startsWith("-")) {
      const equals = arg.indexOf("=");
      const role = launcher.options[equals === -1 ? arg : arg.slice(0, equals)];
      afterUnknownOption = role === undefined && equals === -1;
      if (role === undefined) continue;
      const value = equals === -1 ? args[++i] : arg.slice(equals + 1);
      if (role === "server") return value || undefined;
      if (role === "code") return undefined;
      continue;
    }
    const skip = (afterUnknownOption && looksLikeValue(arg)) ||
      launcher.subcommands.includes(arg);
    afterUnknownOption = false;
    if (!skip) return arg;
  }
  return undefined;
}

/**
 * True for an argument that reads as an option's value, not a program: a
 * `KEY=value` pair, a number, address or port mapping, or a data file.
 */
function looksLikeValue(arg: string): boolean {
  return /^[A-Za-z_]\w*=(?!=)/.test(arg) || /^[\d.:/-]+$/.test(arg) ||
    /\.(json|jsonc|lock|env|pem|crt|key|toml|ya?ml|ini|cfg|conf|txt)$/i.test(arg);
}

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== "");
  return parts[parts.length - 1] ?? path;
}

/** A package, image or path reduced to its name: no registry, scope, version, tag or extension. */
function bareName(target: string): string {
  let name = target.replace(/^(npm|jsr|pypi):/, "");
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    if (slash !== -1) name = name.slice(slash + 1);
  }
  const at = name.indexOf("@");
  if (at > 0) name = name.slice(0, at);
  name = lastSegment(name)
    // a Python version range or extras (`pkg==1.2`, `pkg[cli]>=2`), a docker tag (`image:1.2`)
    .replace(/(==|[<>!~]=|[<>[;:]).*$/, "")
    .replace(/\.(m?[jt]s|cjs|py|sh)$/i, "");
  return name;
}

/** A bare name as an agent id: lowercase, `[a-z0-9._-]`, at most 64 characters. */
function cleanName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[._-]+|-+$/g, "")
    .slice(0, 64);
}
