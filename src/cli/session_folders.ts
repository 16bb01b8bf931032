/**
 * The folders a `thoth run` session reads paths with, resolved outside the
 * sandbox: the home folder a server's `~/x` points to (and its real path),
 * the folders a server may resolve a relative path against, the clients'
 * config files thoth protects, and `APPDATA` and `XDG_CONFIG_HOME`.
 *
 * @example
 * ```ts
 * const home = await sessionHomeFolder(Deno.env.toObject());
 * const configs = sessionClientConfigs(Deno.env.toObject(), home, await realFolder(home));
 * ```
 */
import { protectedClientConfigs } from "../config/protected_client_configs.ts";
import { commandLineFolders, composeBases } from "../policy/path_bases.ts";
import { passwdHome } from "../platform/passwd_home.ts";

/**
 * `APPDATA` and `XDG_CONFIG_HOME` from `env`, those set: a command that names
 * a client's config by one of them reaches it (see `own_files.ts`).
 */
export function variableFolders(
  env: Record<string, string | undefined>,
): { appData?: string; xdgConfigHome?: string } {
  const appData = env["APPDATA"];
  const xdgConfigHome = env["XDG_CONFIG_HOME"];
  return {
    ...(appData === undefined || appData === "" ? {} : { appData }),
    ...(xdgConfigHome === undefined || xdgConfigHome === "" ? {} : { xdgConfigHome }),
  };
}

/**
 * The home folder a server's `~/x` points to: `HOME` (or `USERPROFILE`),
 * else the one the password file gives this user (see
 * {@linkcode passwdHomeFolder}); undefined when neither is known. `thoth run`
 * and `thoth policy explain` read paths with it.
 */
export async function sessionHomeFolder(
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  return homeFolder(env) ?? await passwdHomeFolder();
}

/**
 * `env` with `HOME` set to `home` when it names no home folder itself, so
 * that what is found from `HOME` (the clients' config files) is found from
 * the home thoth reads paths with.
 */
export function withHome(
  env: Record<string, string | undefined>,
  home: string | undefined,
): Record<string, string | undefined> {
  return home === undefined || homeFolder(env) !== undefined ? env : { ...env, HOME: home };
}

/**
 * `folder`'s real path (its symbolic links followed); undefined when there
 * is no folder or it cannot be resolved. Read outside the sandbox.
 */
export async function realFolder(folder: string | undefined): Promise<string | undefined> {
  if (folder === undefined) return undefined;
  return await Deno.realPath(folder).catch(() => undefined);
}

/**
 * The clients' config files thoth protects: found from the home folder
 * `home` (see {@linkcode withHome}) and, when the home folder is behind a
 * symbolic link (`/home` a link to `/var/home`), from its real path
 * `homeReal` too, with every variable that names a folder under the home
 * folder (`XDG_CONFIG_HOME`, `APPDATA`) respelled under the real path: a
 * server may name a config either way.
 *
 * @example
 * ```ts
 * sessionClientConfigs({ HOME: "/home/ana" }, "/home/ana", "/var/home/ana", "linux");
 * // [..."/home/ana/.cursor/mcp.json", ..., "/var/home/ana/.cursor/mcp.json", ...]
 * ```
 */
export function sessionClientConfigs(
  env: Record<string, string | undefined>,
  home: string | undefined,
  homeReal: string | undefined,
  os: typeof Deno.build.os = Deno.build.os,
): string[] {
  const configs = protectedClientConfigs({ os, env: withHome(env, home) });
  if (home === undefined || homeReal === undefined || homeReal === home) return configs;
  const respelled: Record<string, string | undefined> = { HOME: homeReal };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name === "HOME") continue;
    const under = value === home || (value.startsWith(home) && "/\\".includes(value[home.length]!));
    respelled[name] = under ? homeReal + value.slice(home.length) : value;
  }
  return [...new Set([...configs, ...protectedClientConfigs({ os, env: respelled })])];
}

/**
 * Without `HOME`, the home folder the password file gives this user, where
 * a server's `~/x` then points (Node and Python fall back to it); undefined
 * when it cannot be read (Windows, no permission, no entry).
 */
async function passwdHomeFolder(): Promise<string | undefined> {
  if (Deno.build.os === "windows") return undefined;
  try {
    const uid = Deno.uid();
    if (uid === null) return undefined;
    return passwdHome(await Deno.readTextFile("/etc/passwd"), uid);
  } catch {
    return undefined;
  }
}

/**
 * The folders the server may resolve a relative path against: the working
 * folder it inherits, and each path on its command line that is a folder
 * (server-filesystem's allowed folders, `--root=/data`, `data` in the
 * working folder).
 */
export async function serverFolders(
  cwd: string,
  args: readonly string[],
  home: string | undefined,
): Promise<string[]> {
  const folders: string[] = [];
  for (const path of commandLineFolders(args, home, Deno.build.os, cwd)) {
    const isFolder = await Deno.stat(path).then((info) => info.isDirectory, () => false);
    if (isFolder) folders.push(path);
  }
  return composeBases([cwd], folders);
}

/**
 * The user's home folder as the server will see it (it inherits this
 * environment): where a `~/…` argument points. Undefined when unset.
 */
export function homeFolder(env: Record<string, string | undefined>): string | undefined {
  const home = env["HOME"] || env["USERPROFILE"];
  return home === undefined || home === "" ? undefined : home.replace(/[/\\]+$/, "") || "/";
}
