/** Shared test helpers: temp profiles, JWTs, a stub doctor context and a fake CliIo. */
import type { CliIo } from "../../src/cli/cli_io.ts";
import { defaultDoctorPlugins } from "../../src/doctor/default_doctor_plugins.ts";
import type { DoctorContext, DoctorHost, SandboxHost } from "../../src/doctor/doctor_context.ts";
import { THOTH_PERMISSION_GRANT } from "../../src/doctor/thoth_permission_set.ts";
import type { DoctorPlugins } from "../../src/doctor/doctor_plugins.ts";
import { Command } from "@commander-js/extra-typings";
import { doctorCommand } from "../../src/cli/doctor.ts";
import { thothDoctorPlugins } from "../../src/cli/doctor_plugins.ts";
import { runProgram } from "../../src/cli/program.ts";
import { isExecutableFile } from "../../src/platform/find_executable.ts";

/** Runs `fn` with a fresh temp directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "thoth_test_" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A JWT with the given payload (unsigned: thoth does not verify signatures). */
export function makeJwt(payload: Record<string, unknown>): string {
  const b64 = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}.c2lnbmF0dXJl`;
}

/** A stub host: no network, fixed machine id, everything executable that is listed. */
export function stubHost(overrides: Partial<DoctorHost> = {}): DoctorHost {
  return {
    readMachineId: () =>
      Promise.resolve({ value: "0123456789abcdef0123456789abcdef", origin: "/etc/machine-id" }),
    hostname: () => "test-host",
    uid: () => Deno.uid(),
    isExecutable: () => Promise.resolve(false),
    resolveHost: () => Promise.reject(new Error("no network in tests")),
    probeUrl: () => Promise.resolve({ reachable: false, detail: "no network in tests" }),
    sandbox: asBuiltSandbox,
    ...overrides,
  };
}

/**
 * A sandbox host for thoth from source granted exactly its permission set,
 * whose sandbox starts: the `sandbox` check passes.
 */
export const asBuiltSandbox: SandboxHost = {
  compiled: false,
  query: (descriptor) => {
    const want = THOTH_PERMISSION_GRANT[`allow-${descriptor.name}`];
    if (want === true) return "granted";
    const value = descriptor.name === "sys" ? descriptor.kind : undefined;
    return want !== undefined && value !== undefined && want.includes(value) ? "granted" : "prompt";
  },
  start: () => Promise.resolve({ outcome: "started", detail: "the sandbox starts", remedy: null }),
  launch: ["thoth"],
};

export const FIXED_NOW = new Date("2026-06-01T12:00:00.000Z");

/** A doctor context over a temp profile with stubbed host and network. */
export function testContext(
  thothHome: string,
  options: {
    env?: Readonly<Record<string, string | undefined>>;
    os?: string;
    host?: Partial<DoctorHost>;
    plugins?: Partial<DoctorPlugins>;
  } = {},
): DoctorContext {
  return {
    env: options.env ?? {},
    thothHome,
    os: options.os ?? "linux",
    target: "x86_64-unknown-linux-gnu",
    denoVersion: "2.9.6",
    now: () => FIXED_NOW,
    plugins: { ...defaultDoctorPlugins, ...options.plugins },
    host: stubHost(options.host),
  };
}

/** A CliIo that records output. */
export interface FakeIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** A fake CliIo over a temp profile. */
export function fakeIo(thothHome: string, env: Record<string, string> = {}): FakeIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    env,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    stdoutIsTty: false,
    stdinIsTty: false,
    cwd: thothHome,
    selfCommand: ["thoth"],
    thothHome,
    exitCode: 0,
    stdout,
    stderr,
  };
}

/**
 * `thoth doctor` run through this build's client discovery and thoth check
 * (its other checks stubbed), with HOME at `dir` and `env` added, as the
 * user `uid` (1000 unless given); its exit code, its output and the
 * `client_configs` line.
 */
export async function doctorWithDiscovery(
  dir: string,
  env: Record<string, string> = {},
  uid: number | null = 1000,
) {
  const io = fakeIo(`${dir}/.thoth`, { HOME: dir, PATH: Deno.env.get("PATH") ?? "", ...env });
  // As a user, unless a test says root: doctor run as root starts no program a config names.
  const own = thothDoctorPlugins(io, uid);
  const plugins: Partial<DoctorPlugins> = {
    discoverClients: own.discoverClients!,
    discoverClientPlaces: own.discoverClientPlaces!,
    verifyThoth: own.verifyThoth!,
  };
  const program = new Command("thoth").addCommand(doctorCommand(io, {
    plugins,
    context: (cliIo: CliIo, p: Partial<DoctorPlugins>) =>
      testContext(cliIo.thothHome, {
        env: { ...cliIo.env },
        host: { isExecutable: isExecutableFile },
        plugins: p,
      }),
  }));
  const code = await runProgram("thoth", program, ["doctor"], io);
  const stdout = io.stdout.join("");
  return { code, stdout, line: stdout.split("\n").find((l) => l.includes("client_configs")) };
}
