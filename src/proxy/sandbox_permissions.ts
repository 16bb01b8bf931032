/**
 * The permissions of the sandboxed proxy core, computed from what this one
 * session needs and nothing else: run the resolved upstream command (once:
 * the core revokes it after the spawn), reach the enforcer and fleet hosts,
 * read and write `THOTH_HOME`. No environment, no system information, no FFI,
 * no imports. Approval dialogs run outside the core.
 * Pure: the inputs are resolved by the caller.
 *
 * @example
 * ```ts
 * sandboxPermissions({
 *   upstream: "/usr/local/bin/mcp-fs",
 *   thothHome: "/home/ana/.thoth",
 *   readOnly: [],
 *   netHosts: ["enforce.acme.example.com"],
 * });
 * ```
 */

/** What the proxy core of one session must be able to touch. */
export interface SandboxNeeds {
  /** The upstream command's absolute path; `undefined` when it could not be resolved. */
  upstream: string | undefined;
  /** The profile directory: the only place the core reads and writes. */
  thothHome: string;
  /** Extra paths the core may read but not write (none by default). */
  readOnly: readonly string[];
  /** Host names (or host:port) the core may connect to. */
  netHosts: readonly string[];
}

/** The Worker permission object for the proxy core. */
export interface SandboxPermissions {
  read: string[];
  write: string[];
  run: string[] | false;
  net: string[] | false;
  env: false;
  sys: false;
  ffi: false;
  import: false;
}

/** Computes the narrowest permissions that let the core do its job. */
export function sandboxPermissions(needs: SandboxNeeds): SandboxPermissions {
  return {
    read: unique([needs.thothHome, ...needs.readOnly]),
    write: [needs.thothHome],
    run: needs.upstream === undefined ? false : [needs.upstream],
    net: needs.netHosts.length === 0 ? false : unique([...needs.netHosts]),
    env: false,
    sys: false,
    ffi: false,
    import: false,
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
