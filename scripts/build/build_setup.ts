/**
 * What the release build settles before it compiles anything
 * ({@linkcode prepareBuild}): the targets and binaries, the pins, the
 * signing key, the commit and time, the plan, the permission checks, the
 * runtime base of each target, the `lipo` tool and the leftover assets of an
 * earlier build. A check that fails stops the build here, with nothing
 * written. The dry run and the build both start from what it returns.
 *
 * @example
 * ```ts
 * const setup = await prepareBuild(parseBuildArgs(Deno.args), root);
 * setup.plan.compiles.length; // one per binary and target
 * ```
 */
import { join, resolve } from "node:path";
import { AppError } from "../../src/errors.ts";
import { type BinarySpec, type BuildPlan, planBuild } from "../../src/release/build_plan.ts";
import { selectBinaries, selectTargets } from "../../src/release/build_selection.ts";
import { leftoverAssets } from "../../src/release/leftover_assets.ts";
import {
  assertWritable,
  denoDir,
  digestFile,
  exists,
  fileNames,
  findLipo,
  gitCommit,
  loadReleaseSigner,
} from "../../src/release/build_host.ts";
import { type Base, resolveBase } from "../../src/release/runtime_base.ts";
import {
  baseVerdict,
  parseBasePins,
  unpinnedSigningBase,
  unusedPins,
} from "../../src/release/base_pin.ts";
import { isUncommittedBuild } from "../../src/release/release_signature.ts";
import { uncommittedSigning } from "../../src/release/release_files.ts";
import { checkPermissions } from "../../src/release/permission_check.ts";
import { checkCeilings } from "../../src/release/permission_ceiling.ts";
import { checkUnscopedRun } from "../../src/release/unscoped_run_check.ts";
import type { TargetTriple } from "../../src/release/targets.ts";
import { sha256Hex } from "../../src/release/sha256.ts";
import type { NoteSigner } from "../../src/audit/signed_note.ts";
import { baseWhere } from "./build_notes.ts";
import { say } from "./build_output.ts";
import type { BuildFlags } from "./build_usage.ts";

/** What {@linkcode prepareBuild} settled, for the dry run and the build. */
export interface BuildSetup {
  /** The project's root folder. */
  readonly root: string;
  /** Where the assets go (`--out-dir`, resolved). */
  readonly outDir: string;
  /** This machine's target triple. */
  readonly host: string;
  readonly targets: readonly TargetTriple[];
  readonly binaries: readonly BinarySpec[];
  /** The `--base-sha256` pins, by target. */
  readonly pins: ReadonlyMap<TargetTriple, string>;
  /** The pins for a target not built, each with its warning. */
  readonly unused: readonly { target: TargetTriple; note: string }[];
  /** The release signing key; undefined for an unsigned build. */
  readonly signer: NoteSigner | undefined;
  /** `deno.json`, parsed. */
  readonly config: Record<string, unknown>;
  /** `deno.lock`, parsed, and its SHA-256. */
  readonly lock: unknown;
  readonly lockDigest: string;
  /** The commit stamped into the binaries, and the build's time (ISO 8601). */
  readonly commit: string;
  readonly timestamp: string;
  /** `<out-dir>/.stamp/` and the generated import map and version module in it. */
  readonly stampDir: string;
  readonly importMapPath: string;
  readonly stampedVersionPath: string;
  readonly plan: BuildPlan;
  /** The entry modules that do not exist. */
  readonly missingEntries: ReadonlySet<string>;
  /** The `dl` folder searched for a cached denort; undefined when there is none. */
  readonly cacheDir: string | undefined;
  /** The notes said at the end (the build adds its own). */
  readonly notes: string[];
  /** The runtime base of each target (undefined: none), and the candidates passed over. */
  readonly bases: ReadonlyMap<TargetTriple, Base | undefined>;
  readonly passedOver: ReadonlyMap<TargetTriple, readonly string[]>;
  /** The `lipo` tool, when a universal binary is planned and one is on PATH. */
  readonly lipo: string | undefined;
  /** The assets of an earlier build that this one does not make. */
  readonly leftovers: readonly string[];
}

/**
 * Settles the build `opts` asks for in the project at `root` (see the
 * module's doc); throws what stops it.
 */
export async function prepareBuild(opts: BuildFlags, root: string): Promise<BuildSetup> {
  const outDir = resolve(opts["out-dir"] ?? join(root, "dist"));
  const host = Deno.build.target;

  // Each named once, as the plan, the checksums and the summary list them.
  const targets = selectTargets(opts.targets, host);
  const binaries = selectBinaries(opts.binaries);

  const pins = parseBasePins(opts["base-sha256"], host);
  // A pin for a target not built is said, not dropped in silence.
  const unused = unusedPins(pins, targets);
  for (const u of unused) say(`build: warning: ${u.note}`);
  const signer = await loadReleaseSigner(Deno.env.get("THOTH_RELEASE_SIGNING_KEY"));
  // The dry run checks what the build would: it may not write there either.
  await assertWritable(outDir);

  const configText = await Deno.readTextFile(join(root, "deno.json"));
  const config = JSON.parse(configText) as Record<string, unknown>;
  const lockBytes = await Deno.readFile(join(root, "deno.lock"));
  const lock = JSON.parse(new TextDecoder().decode(lockBytes)) as unknown;
  const lockDigest = await sha256Hex(lockBytes);
  const { commit, time } = await gitCommit(root);
  if (signer !== undefined && isUncommittedBuild(commit) && opts["sign-uncommitted"] !== true) {
    throw uncommittedSigning(commit);
  }
  const epoch = Deno.env.get("SOURCE_DATE_EPOCH");
  const timestamp = epoch !== undefined && /^\d+$/.test(epoch)
    ? new Date(Number(epoch) * 1000).toISOString()
    : time !== undefined
    ? new Date(time).toISOString()
    : new Date().toISOString();

  const stampDir = join(outDir, ".stamp");
  const importMapPath = join(stampDir, "import_map.json");
  const stampedVersionPath = join(stampDir, "version.ts");
  const permissionSets = typeof config["permissions"] === "object" && config["permissions"] !== null
    ? config["permissions"] as Record<string, unknown>
    : {};
  const plan = planBuild({
    root,
    outDir,
    deno: Deno.execPath(),
    importMap: importMapPath,
    binaries,
    targets,
    permissionSets,
  });

  const findings = [
    ...checkPermissions(
      config,
      plan.compiles.map((c) => ({ label: c.asset, set: c.set, argv: c.argv })),
    ),
    ...checkCeilings(permissionSets),
    ...checkUnscopedRun(permissionSets).findings,
  ];
  if (findings.length > 0) {
    for (const f of findings) say(`build: ${f.where}: ${f.message}`);
    throw new AppError(
      "build.permissions",
      `refusing to build: ${findings.length} permission finding(s)`,
      { hints: ['run "deno task check-permissions" and fix deno.json'] },
    );
  }

  const missingEntries = new Set<string>();
  for (const b of binaries) {
    if (!(await exists(join(root, b.entry)))) missingEntries.add(b.entry);
  }
  const rawDenort = Deno.env.get("DENORT_BIN");
  const denortBin = rawDenort === undefined || rawDenort === "" ? undefined : resolve(rawDenort);
  const notes: string[] = [];
  let cacheDir = opts["denort-cache"] === undefined ? undefined : resolve(opts["denort-cache"]);
  if (cacheDir === undefined) {
    const dir = await denoDir();
    cacheDir = dir === undefined ? undefined : join(dir, "dl");
  }
  const bases = new Map<TargetTriple, Base | undefined>();
  const passedOver = new Map<TargetTriple, readonly string[]>();
  for (const t of targets) {
    const resolved = await resolveBase(t, denortBin, cacheDir);
    bases.set(t, resolved.base);
    passedOver.set(t, resolved.passedOver);
    for (const n of resolved.passedOver) if (!notes.includes(n)) notes.push(n);
  }
  if (signer !== undefined) {
    // A signed release vouches for its bases: one that would be used unpinned stops the build here.
    for (const t of targets) {
      const base = bases.get(t);
      if (base === undefined || pins.has(t)) continue;
      const sha256 = await digestFile(base.path);
      const verdict = baseVerdict(t, host, undefined, sha256, baseWhere(base));
      if (verdict.use) throw unpinnedSigningBase(t, sha256, baseWhere(base));
    }
  }
  const lipo = plan.universals.length > 0 ? await findLipo() : undefined;
  // Assets of an earlier build that this one does not make: checksums.sha256 would not list them.
  const leftovers = leftoverAssets(
    await fileNames(outDir),
    new Set([...plan.compiles, ...plan.universals].map((s) => s.asset)),
  );

  return {
    root,
    outDir,
    host,
    targets,
    binaries,
    pins,
    unused,
    signer,
    config,
    lock,
    lockDigest,
    commit,
    timestamp,
    stampDir,
    importMapPath,
    stampedVersionPath,
    plan,
    missingEntries,
    cacheDir,
    notes,
    bases,
    passedOver,
    lipo,
    leftovers,
  };
}
