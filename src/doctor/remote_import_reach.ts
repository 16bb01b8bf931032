/**
 * How far an `import` grant reaches in this process: whether a remote
 * module could be fetched from the network. Deno reports `import` granted
 * whole under `--cached-only` (nothing can be fetched, so it asks nothing),
 * which `deno task thoth` and every client entry written from source pass;
 * the sandbox check must not take that for a grant beyond thoth's set.
 * Deno shows a script neither flag, so this tries a dynamic import of a
 * remote module that no one serves (`https://127.0.0.1:0/…`: no name to
 * look up, a port nothing listens on) and reads why it failed:
 * `--no-remote` refuses it before anything else, `--cached-only` finds it
 * missing from the cache; any other failure means Deno tried the network.
 * The attempt is given 3 seconds (a proxy set in `HTTPS_PROXY` may hold it).
 *
 * @example
 * ```ts
 * await remoteImportReach(); // "none" under deno task thoth (--no-remote)
 * ```
 */
import type { ImportReach } from "./judge_grants.ts";

/** The module the probe asks for: remote, unserved, reached without a name lookup. */
export const UNSERVED_REMOTE_MODULE = "https://127.0.0.1:0/thoth-doctor-import-probe.ts";

/** Tries the import once and tells how far it got. Never throws. */
export async function remoteImportReach(waitMs = 3000): Promise<ImportReach> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), waitMs);
  });
  try {
    const outcome = await Promise.race([
      import(UNSERVED_REMOTE_MODULE).then(() => "loaded" as const, (error: unknown) => error),
      waited,
    ]);
    if (outcome === "loaded" || outcome === "timeout") return "network";
    return importReachOf(outcome instanceof Error ? outcome.message : String(outcome));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The reach Deno's message for a failed remote import shows: `none` when
 * it names `--no-remote`, `cache` when it names `--cached-only`, else
 * `network` (Deno tried to fetch it). Pure.
 *
 * @example
 * ```ts
 * importReachOf('Specifier not found in cache: "https://x/y.ts", --cached-only is specified.'); // "cache"
 * ```
 */
export function importReachOf(message: string): ImportReach {
  if (/--no-remote is specified/.test(message)) return "none";
  if (/--cached-only is specified/.test(message)) return "cache";
  return "network";
}
