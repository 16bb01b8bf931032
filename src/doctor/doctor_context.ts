/**
 * Everything the doctor checks and the health report may touch, passed in:
 * the environment, the profile path, the clock, the OS facts and the network.
 * `denoDoctorContext` builds the real one; tests build their own with a
 * temp profile and stub network.
 *
 * @example
 * ```ts
 * const context = denoDoctorContext({ env: Deno.env.toObject(), thothHome: "/tmp/t" });
 * const checks = await runDoctor(context);
 * ```
 */
import type { MachineIdRead } from "../platform/machine_id.ts";
import type { ExecutableCheck } from "../platform/find_executable.ts";
import type { DoctorPlugins } from "./doctor_plugins.ts";
import type { ProbeResult } from "./probe_url.ts";
import type { ImportReach, PermissionQuery } from "./judge_grants.ts";
import type { SandboxStart } from "./start_sandbox_probe.ts";

/** The host facts and effects the checks use. */
export interface DoctorHost {
  readMachineId(): Promise<MachineIdRead | null>;
  hostname(): string | null;
  /** The current user id, or null where there is none (Windows). */
  uid(): number | null;
  isExecutable: ExecutableCheck;
  /** Resolves a host name to addresses; throws when it cannot. */
  resolveHost(host: string): Promise<readonly string[]>;
  probeUrl(url: string): Promise<ProbeResult>;
  /**
   * How this thoth runs and what it may do, for the `sandbox` check and the
   * health report's `sandbox`; absent where that cannot be told (a stub).
   */
  sandbox?: SandboxHost;
}

/** The runtime facts and the one effect of the `sandbox` check. */
export interface SandboxHost {
  /** Whether this is a compiled thoth (`Deno.build.standalone`), not thoth from source. */
  readonly compiled: boolean;
  /** `Deno.permissions.querySync(…).state` of this process. */
  readonly query: PermissionQuery;
  /**
   * How far an `import` granted whole reaches (see `remote_import_reach.ts`);
   * absent: as far as the network.
   */
  importReach?(): Promise<ImportReach>;
  /** Starts the proxy core's sandbox once, for no server (see `start_sandbox_probe.ts`). */
  start(): Promise<SandboxStart>;
  /** The command that starts thoth with its permission set, for remedies (`CliIo.selfCommand`). */
  readonly launch: readonly string[];
}

/** Why the profile could not be set up (`bootstrapProfile`'s error), as data. */
export interface ProfileSetupProblem {
  readonly message: string;
  readonly hint: string | null;
}

/** The inputs of a doctor run or a health report. */
export interface DoctorContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly thothHome: string;
  /** `Deno.build.os` */
  readonly os: string;
  /** `Deno.build.target` */
  readonly target: string;
  /** `Deno.version.deno` */
  readonly denoVersion: string;
  readonly now: () => Date;
  readonly plugins: DoctorPlugins;
  readonly host: DoctorHost;
  /**
   * Set when the CLI could not set the profile up before the checks ran; the
   * `profile` check (and the health report's `profile`) report it.
   */
  readonly profileSetupProblem?: ProfileSetupProblem | undefined;
}
