/**
 * The real {@linkcode DoctorContext}: this process's OS, clock and network.
 * DNS goes through `Deno.resolveDns` (A and AAAA together); the lookup and
 * the reachability probe each have the same budget, 3 seconds unless a
 * test sets it ({@linkcode PROBE_BUDGET_MS}). The sandbox check asks `Deno.permissions` and starts
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
import { resolveHost } from "./resolve_host.ts";
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
  /** The budget of the DNS lookup and of the probe, each (tests); {@linkcode PROBE_BUDGET_MS} */
  readonly probeBudgetMs?: number;
  /** The name server the lookup asks instead of the system's (tests). */
  readonly nameServer?: { readonly ipAddr: string; readonly port?: number };
}

/** How long the enforcer's DNS lookup, and then its probe, may take: 3 s each. */
export const PROBE_BUDGET_MS = 3000;

/** Builds the context for this process. */
export function denoDoctorContext(options: DenoDoctorContextOptions): DoctorContext {
  const budget = options.probeBudgetMs ?? PROBE_BUDGET_MS;
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
      resolveHost: (host) =>
        resolveHost(host, {
          timeoutMs: budget,
          ...(options.nameServer === undefined ? {} : { nameServer: options.nameServer }),
        }),
      probeUrl: (url) => probeUrl(url, budget),
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
