/**
 * The real {@linkcode DoctorContext}: this process's OS, clock and network.
 * DNS goes through `Deno.resolveDns` (A, then AAAA); the reachability probe
 * allows 3 seconds. The sandbox check asks `Deno.permissions` and starts
 * thoth once more to try the sandbox: a compiled thoth itself, thoth from
 * source with its launch command.
 *
 * @example
 * ```ts
 * const context = denoDoctorContext({ env: io.env, thothHome: io.thothHome });
 * ```
 */
import { isExecutableFile } from "../platform/find_executable.ts";
import { readMachineId } from "../platform/machine_id.ts";
import { defaultDoctorPlugins } from "./default_doctor_plugins.ts";
import type { DoctorContext } from "./doctor_context.ts";
import type { DoctorPlugins } from "./doctor_plugins.ts";
import { probeUrl } from "./probe_url.ts";
import { remoteImportReach } from "./remote_import_reach.ts";
import { startSandboxProbe } from "./start_sandbox_probe.ts";

/** What the caller supplies; the rest comes from Deno. */
export interface DenoDoctorContextOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly thothHome: string;
  readonly plugins?: Partial<DoctorPlugins>;
  /**
   * How thoth starts itself with its permission set (`CliIo.selfCommand`):
   * the sandbox check's remedy, and how it tries the sandbox where this
   * process cannot read its own command line.
   */
  readonly selfCommand?: readonly string[];
}

/** Builds the context for this process. */
export function denoDoctorContext(options: DenoDoctorContextOptions): DoctorContext {
  return {
    env: options.env,
    thothHome: options.thothHome,
    os: Deno.build.os,
    target: Deno.build.target,
    denoVersion: Deno.version.deno,
    now: () => new Date(),
    plugins: { ...defaultDoctorPlugins, ...options.plugins },
    host: {
      readMachineId: () => readMachineId(Deno.build.os),
      hostname: () => {
        try {
          return Deno.hostname();
        } catch {
          return null;
        }
      },
      uid: () => {
        try {
          return Deno.uid();
        } catch {
          return null;
        }
      },
      isExecutable: isExecutableFile,
      resolveHost: async (host) => {
        const found: string[] = [];
        let lastError: unknown = null;
        for (const type of ["A", "AAAA"] as const) {
          try {
            found.push(...await Deno.resolveDns(host, type));
          } catch (error) {
            lastError = error;
          }
        }
        if (found.length === 0) {
          const text = lastError instanceof Error ? lastError.message : "";
          if (lastError !== null && !/no records found/i.test(text)) throw lastError;
          throw new Error("no A or AAAA records");
        }
        return found;
      },
      probeUrl: (url) => probeUrl(url, 3000),
      sandbox: {
        compiled: Deno.build.standalone,
        query: (descriptor) => Deno.permissions.querySync(descriptor).state,
        importReach: () => remoteImportReach(),
        // A compiled thoth starts itself, flags and all (they are baked in). From source,
        // Deno does not show a script the flags it was started with: thoth is started
        // as its launch command starts it, the command wrap-config writes for clients.
        start: () =>
          Deno.build.standalone
            ? startSandboxProbe({ command: [Deno.execPath()], via: "own" })
            : startSandboxProbe({ command: options.selfCommand ?? [], via: "launch" }),
        launch: options.selfCommand ?? [Deno.execPath()],
      },
    },
  };
}
