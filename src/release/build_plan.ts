/**
 * The release build as data: one `deno compile` command line per binary and
 * target, the macOS universal merges, and the module that stamps the commit
 * into `--version`. Pure; `scripts/build.ts` runs what this returns.
 *
 * @example
 * ```ts
 * const plan = planBuild({
 *   root: "/src/thoth", outDir: "/src/thoth/dist", deno: "/usr/bin/deno",
 *   importMap: "/src/thoth/dist/.stamp/import_map.json",
 *   binaries: [{ name: "thoth", entry: "src/cli/thoth.ts", set: "thoth" }],
 *   targets: ["x86_64-unknown-linux-gnu"],
 *   permissionSets: { thoth: { read: true } },
 * });
 * plan.compiles[0]?.asset; // "thoth-linux-x86_64"
 * ```
 */
import { AppError } from "../errors.ts";
import { permissionFlags } from "./permission_flags.ts";
import { assetName, MACOS_UNIVERSAL_SUFFIX, type TargetTriple } from "./targets.ts";
import { THOTH_V8_FLAGS } from "../platform/v8_flags.ts";

/** A binary the release ships. */
export interface BinarySpec {
  /** `thoth` or `thothctl`: the asset prefix. */
  readonly name: string;
  /** The entry module, relative to the project root. */
  readonly entry: string;
  /** Modules loaded at run time (Workers, computed imports) that the compiler must embed. */
  readonly include?: readonly string[];
  /** The `deno.json` permission set baked into it. */
  readonly set: string;
}

/** thothctl's commands, each imported by a computed URL when a command line names it. */
const THOTHCTL_COMMAND_MODULES = [
  "src/cli/auth.ts",
  "src/cli/audit.ts",
  "src/cli/policy.ts",
  "src/cli/approvals.ts",
];

/** thoth's commands, imported the same way (with doctor's and health's checks). */
const THOTH_COMMAND_MODULES = [
  "src/cli/run.ts",
  "src/cli/wrap_config.ts",
  "src/cli/unwrap_config.ts",
  "src/cli/status.ts",
  "src/cli/doctor.ts",
  "src/cli/health.ts",
  "src/cli/doctor_plugins.ts",
  "src/cli/set_api_key.ts",
  ...THOTHCTL_COMMAND_MODULES,
  "src/cli/update.ts",
];

/** The binaries of a release. */
export const RELEASE_BINARIES: readonly BinarySpec[] = [
  {
    name: "thoth",
    entry: "src/cli/thoth.ts",
    set: "thoth",
    // The command tree is imported by a computed URL (src/cli/unlisted_module.ts): deno compile
    // cannot see it. The proxy core's Worker embeds run_proxy.ts, imported that way too, and
    // the command tree the full readers of the intent map and the policy; thoth_env.ts is the
    // environment's, which nothing else embeds.
    include: [
      "src/proxy/proxy_worker.ts",
      "src/cli/thoth_program.ts",
      "src/identity/thoth_env.ts",
      ...THOTH_COMMAND_MODULES,
    ],
  },
  {
    name: "thothctl",
    entry: "src/cli/thothctl.ts",
    set: "thothctl",
    // The full readers its session readers import by a computed URL when the small ones refuse.
    include: [
      "src/identity/thoth_env.ts",
      "src/config/parse_intent_map.ts",
      ...THOTHCTL_COMMAND_MODULES,
    ],
  },
];

/** Inputs of {@linkcode planBuild}; every path absolute, `/`-separated. */
export interface BuildPlanInput {
  readonly root: string;
  readonly outDir: string;
  /** The Deno binary that compiles. */
  readonly deno: string;
  /** The generated import map that stamps the build commit. */
  readonly importMap: string;
  readonly binaries: readonly BinarySpec[];
  readonly targets: readonly TargetTriple[];
  /** `deno.json`'s `permissions`. */
  readonly permissionSets: Readonly<Record<string, unknown>>;
}

/** One `deno compile` run. */
export interface CompileStep {
  readonly binary: string;
  readonly target: TargetTriple;
  readonly asset: string;
  readonly set: string;
  /** Entry path relative to the root, as given. */
  readonly entry: string;
  readonly output: string;
  /** The permission flags baked in, from the set. */
  readonly permissionFlags: readonly string[];
  readonly argv: readonly string[];
}

/** One macOS universal merge (`lipo -create`). */
export interface UniversalStep {
  readonly binary: string;
  readonly asset: string;
  readonly output: string;
  /** The x86_64 and arm64 assets it merges. */
  readonly parts: readonly [string, string];
}

/** The whole build. */
export interface BuildPlan {
  readonly compiles: readonly CompileStep[];
  readonly universals: readonly UniversalStep[];
}

function join(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * The compile flags every build uses besides permissions, and why:
 * `--no-check` because the build type-checks each entry once beforehand
 * (the check does not depend on the target); `--frozen-lockfile` so the
 * binary holds exactly what `deno.lock` (and so the SBOM) lists;
 * `--exclude-unused-npm` so test-only packages in the lock stay out;
 * `--no-prompt` because stdin belongs to the MCP protocol;
 * `--no-remote` so that the binary embeds no module fetched from the network
 * and its runtime loads none (Deno would fetch a dynamic `import()` from its
 * default hosts even for the sandboxed core, whose Worker grants no import);
 * `--unstable-worker-options` because the proxy core runs in a Worker whose
 * permissions are narrowed per session; V8's linear-time regex engine so that
 * policy patterns cannot be made to backtrack by a client's arguments.
 */
export const COMPILE_FIXED_FLAGS: readonly string[] = [
  "--no-check",
  "--frozen-lockfile",
  "--exclude-unused-npm",
  "--no-prompt",
  "--no-remote",
  "--unstable-worker-options",
  THOTH_V8_FLAGS,
];

/** Plans the build. Throws `build.missing_set` or `build.permission_invalid`. */
export function planBuild(input: BuildPlanInput): BuildPlan {
  const compiles: CompileStep[] = [];
  const universals: UniversalStep[] = [];
  for (const binary of input.binaries) {
    const set = input.permissionSets[binary.set];
    if (set === undefined) {
      throw new AppError(
        "build.missing_set",
        `deno.json "permissions" has no set "${binary.set}" for ${binary.name}`,
        { hints: [`add a "${binary.set}" permission set to deno.json`] },
      );
    }
    const flags = permissionFlags(set);
    for (const target of input.targets) {
      const asset = assetName(binary.name, target);
      const output = join(input.outDir, asset);
      compiles.push({
        binary: binary.name,
        target,
        asset,
        set: binary.set,
        entry: binary.entry,
        output,
        permissionFlags: flags,
        argv: [
          input.deno,
          "compile",
          ...COMPILE_FIXED_FLAGS,
          `--config=${join(input.root, "deno.json")}`,
          `--import-map=${input.importMap}`,
          ...flags,
          ...(binary.include ?? []).map((module) => `--include=${join(input.root, module)}`),
          `--target=${target}`,
          `--output=${output}`,
          join(input.root, binary.entry),
        ],
      });
    }
    if (
      input.targets.includes("x86_64-apple-darwin") &&
      input.targets.includes("aarch64-apple-darwin")
    ) {
      const asset = `${binary.name}-${MACOS_UNIVERSAL_SUFFIX}`;
      universals.push({
        binary: binary.name,
        asset,
        output: join(input.outDir, asset),
        parts: [
          assetName(binary.name, "x86_64-apple-darwin"),
          assetName(binary.name, "aarch64-apple-darwin"),
        ],
      });
    }
  }
  return { compiles, universals };
}

/**
 * Rewrites `src/version.ts` so `BUILD_COMMIT` is the given commit. Fails when
 * the line it replaces is not there exactly once, rather than ship "source".
 */
export function stampVersionModule(source: string, commit: string): string {
  if (!/^(?:[0-9a-f]{7,40}(?:-dirty)?|unknown)$/.test(commit)) {
    throw new AppError("build.stamp_failed", `refusing to stamp an odd commit id "${commit}"`);
  }
  const line = 'export const BUILD_COMMIT = "source";';
  const parts = source.split(line);
  if (parts.length !== 2) {
    throw new AppError(
      "build.stamp_failed",
      `src/version.ts must contain ${JSON.stringify(line)} exactly once to be stamped`,
    );
  }
  return parts.join(`export const BUILD_COMMIT = ${JSON.stringify(commit)};`);
}

/**
 * The import map the compile uses: `deno.json`'s imports and scopes (relative
 * targets made absolute against the root) plus one entry that maps the
 * source `version.ts` to the stamped copy. The source tree is never edited.
 */
export function stampImportMap(
  config: { imports?: unknown; scopes?: unknown },
  rootUrl: string,
  versionUrl: string,
  stampedUrl: string,
): { imports: Record<string, string>; scopes: Record<string, Record<string, string>> } {
  const absolute = (value: string) =>
    value.startsWith("./") || value.startsWith("../") ? new URL(value, rootUrl).href : value;
  const copy = (raw: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    if (typeof raw !== "object" || raw === null) return out;
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof value === "string") out[absolute(key)] = absolute(value);
    }
    return out;
  };
  const scopes: Record<string, Record<string, string>> = {};
  if (typeof config.scopes === "object" && config.scopes !== null) {
    for (const [scope, map] of Object.entries(config.scopes as Record<string, unknown>)) {
      scopes[absolute(scope)] = copy(map);
    }
  }
  return { imports: { ...copy(config.imports), [versionUrl]: stampedUrl }, scopes };
}

/**
 * Reads a comma-separated list flag (`--targets`, `--binaries`): undefined
 * when the flag is absent, its non-empty items otherwise. A flag given with
 * no item at all (`--targets ""`, `--binaries ,`) is a usage error that names
 * the flag, not a build of nothing.
 *
 * @example
 * ```ts
 * listFlag("targets", "host, linux-arm64"); // ["host", "linux-arm64"]
 * listFlag("binaries", undefined); // undefined
 * listFlag("targets", ""); // throws usage.empty_list
 * ```
 */
export function listFlag(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) {
    throw new AppError("usage.empty_list", `--${flag} is empty: it names nothing to build`, {
      hints: [
        `name at least one (e.g. --${flag} ${
          flag === "targets" ? "host" : "thoth"
        }), or leave --${flag} out to build them all`,
      ],
      exitCode: 2,
    });
  }
  return items;
}
