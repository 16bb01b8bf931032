/**
 * The permissions of the sandboxed proxy core, computed from what this one
 * session needs and nothing else: run the resolved upstream command (once:
 * the core revokes it as soon as the spawn was tried), and read and write the
 * folders of `THOTH_HOME` the session keeps its state in (see
 * {@linkcode sessionFolders}), each by the path given and by its real path
 * (Deno checks some calls, such as `FsFile.stat`, against the path with its
 * links resolved, and `THOTH_HOME` or `audit/` may be a link: macOS's `/tmp`
 * and `/var/folders` are). Deno follows a link inside a granted path, so a
 * folder that is a link grants whatever it leads to: the caller checks where
 * each really leads before it asks for the grant (`check_session_folders.ts`:
 * never `/`, the home folder, the profile or another part of it, only the
 * folder's own place or a private folder elsewhere). When the server's
 * environment sets a variable of the dynamic loader (`LD_*`, `DYLD_*`), Deno
 * starts it only under a permission to run any program: the core then gets
 * that one, still for its one spawn, tried before it reads any input. Not the
 * rest of the profile: the policy, the intent map, the API key, the session
 * tokens and the audit keys are read by the thread that starts the core,
 * which hands over what the session needs as data, so a subverted core can
 * neither read them nor change what governs later sessions. No network
 * (nothing in the core connects anywhere yet), no environment, no system
 * information, no FFI, no imports. Approval dialogs run outside the core.
 * Pure: the inputs are resolved by the caller.
 *
 * @example
 * ```ts
 * sandboxPermissions({
 *   upstream: "/usr/local/bin/mcp-fs",
 *   folders: sessionFolders("/home/ana/.thoth", { kind: "local", mode: "block" }),
 *   readOnly: [],
 * });
 * // read and write: /home/ana/.thoth/audit and /home/ana/.thoth/approvals; run: mcp-fs
 * ```
 */
import type { EnforcementMode } from "../policy/enforcement_mode.ts";

/** What the proxy core of one session must be able to touch. */
export interface SandboxNeeds {
  /** The upstream command's absolute path; `undefined` when it must not (or cannot) be run. */
  upstream: string | undefined;
  /** The folders the core reads and writes (see {@linkcode sessionFolders}). */
  folders: readonly string[];
  /** Extra paths the core may read but not write (none by default). */
  readOnly: readonly string[];
  /**
   * The server's environment sets a variable of the dynamic loader, and this
   * thread may run any program: grant the core that, not the one command
   * (Deno refuses such a spawn under a grant scoped to a path).
   */
  anyProgram?: boolean;
}

/** The Worker permission object for the proxy core. */
export interface SandboxPermissions {
  read: string[] | false;
  write: string[] | false;
  run: string[] | boolean;
  net: false;
  env: false;
  sys: false;
  ffi: false;
  import: false;
}

/** Computes the narrowest permissions that let the core do its job. */
export function sandboxPermissions(needs: SandboxNeeds): SandboxPermissions {
  const read = unique([...needs.folders, ...needs.readOnly]);
  const write = unique([...needs.folders]);
  return {
    read: read.length === 0 ? false : read,
    write: write.length === 0 ? false : write,
    run: needs.upstream === undefined ? false : needs.anyProgram === true ? true : [needs.upstream],
    net: false,
    env: false,
    sys: false,
    ffi: false,
    import: false,
  };
}

/**
 * The folders under `thothHome` a session's core reads and writes: the audit
 * log's folder (segments, state, checkpoints, the decision spool) when it
 * records; the approval queue when its mode can ask a person (every mode but
 * `observe`); the progressive counters in `progressive` mode. None for a
 * session that records nothing.
 */
export function sessionFolders(
  thothHome: string,
  enforcer: { kind: "allow-all" } | { kind: "local"; mode: EnforcementMode },
): string[] {
  if (enforcer.kind !== "local") return [];
  const home = thothHome.replace(/[\\/]+$/, "");
  const sep = home.includes("\\") && !home.includes("/") ? "\\" : "/";
  return [
    `${home}/audit`,
    ...(enforcer.mode === "observe" ? [] : [`${home}${sep}approvals`]),
    ...(enforcer.mode === "progressive" ? [`${home}/state`] : []),
  ];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
