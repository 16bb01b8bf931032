/**
 * Writes the release files next to the built binaries: `checksums.sha256`
 * (and `checksums.sha256.sig` when a signer is given), the
 * `release-manifest.json` that `thoth update` reads, the CycloneDX SBOM
 * (`sbom.cdx.json`) and `provenance.json`, which records every compile step,
 * its runtime base and how the binary was checked. `scripts/build.ts` calls it
 * once the binaries are built.
 *
 * @example
 * ```ts
 * const written: string[] = [];
 * await writeReleaseFiles({ root, outDir, commit, timestamp, host, lock, lockDigest, results,
 *   subjects, signer, warn: console.error }, written);
 * written; // ["checksums.sha256", "checksums.sha256.sig", "release-manifest.json", "sbom.cdx.json", "provenance.json"]
 * ```
 */
import { join } from "node:path";
import { VERSION } from "../version.ts";
import type { NoteSigner } from "../audit/signed_note.ts";
import { type CompileStep, stampVersionModule } from "./build_plan.ts";
import { digestFile, exists, listFiles } from "./build_host.ts";
import type { Base } from "./runtime_base.ts";
import { sha256Hex } from "./sha256.ts";
import { formatChecksums } from "./checksums.ts";
import { isUncommittedBuild, signRelease } from "./release_signature.ts";
import { AppError } from "../errors.ts";
import { cycloneDxFromLock } from "./sbom.ts";
import { npmImportsOf } from "./shipped_packages.ts";
import { RELEASE_MANIFEST_SCHEMA } from "./release_manifest.ts";
import {
  buildProvenance,
  type DigestedFile,
  type ProvenanceStep,
  type StepStatus,
} from "./provenance.ts";

const encoder = new TextEncoder();

/** What happened to one planned step of the build (a compile or a lipo merge). */
export interface StepResult {
  /** The compile step, or the lipo merge as a step of its own. */
  step: CompileStep | { asset: string; target: string; argv: string[]; output: string };
  /** How the step ended. */
  status: StepStatus;
  /** The runtime base chosen for the step's target, when there was one. */
  base?: Base;
  /**
   * The file deno compile was given as DENORT_BIN and its digest; the digest
   * of the base as found (the DENORT_BIN file or the cached zip), and whether
   * it matched a `--base-sha256` pin.
   */
  baseUsed?: { file: string; sha256: string; foundSha256?: string; pinned?: boolean };
  /** For a built binary: whether it was run (`--version` on the host) or only its header read. */
  ran?: boolean;
  /** Why the step was not built, or how it was checked, in a sentence. */
  note?: string;
}

/** A provenance step with what this build adds: how the binary was checked, and the base's archive entry. */
interface BuildStep extends ProvenanceStep {
  readonly base?: {
    readonly source: string;
    readonly path: string;
    readonly sha256: string;
    readonly entry?: string;
    /** The SHA-256 of the base as found (the DENORT_BIN file or the cached zip). */
    readonly foundSha256?: string;
    /** Whether `foundSha256` matched the admin's `--base-sha256` pin. */
    readonly pinned?: boolean;
  };
  readonly check?: "ran --version" | "header only, not run";
}

/** What the release files are made from. */
export interface ReleaseFilesInput {
  /** The project root, whose sources provenance digests. */
  root: string;
  /** Where the release files are written. */
  outDir: string;
  /** The stamped build commit (`abc1234def56`, `…-dirty` or `unknown`). */
  commit: string;
  /** The build time, as an ISO 8601 string. */
  timestamp: string;
  /** The target triple of the machine building. */
  host: string;
  /** The parsed `deno.lock`, for the SBOM. */
  lock: unknown;
  /** The SHA-256 of `deno.lock`'s bytes. */
  lockDigest: string;
  /** Every planned step, as it ended. */
  results: readonly StepResult[];
  /** The built assets and their digests, which the checksums list. */
  subjects: readonly { name: string; sha256: string }[];
  /** Signs the checksums; undefined for an unsigned release. */
  signer: NoteSigner | undefined;
  /**
   * Sign even though `commit` is `…-dirty` or `unknown` (the build's
   * `--sign-uncommitted`); otherwise such a build is refused before anything is written.
   */
  signUncommitted?: boolean;
  /** Where a warning line goes (the build prints it on stderr). */
  warn: (line: string) => void;
}

/**
 * Writes checksums (signed when a signer is given), the release manifest, the
 * SBOM and provenance, pushing each file's name on `written` as it lands.
 *
 * @example
 * ```ts
 * const written: string[] = [];
 * await writeReleaseFiles({ ...input, signer: undefined }, written);
 * written; // ["checksums.sha256", "release-manifest.json", "sbom.cdx.json", "provenance.json"]
 * ```
 */
export async function writeReleaseFiles(
  input: ReleaseFilesInput,
  written: string[],
): Promise<void> {
  const {
    root,
    outDir,
    commit,
    timestamp,
    host,
    lock,
    lockDigest,
    results,
    subjects,
    signer,
    warn,
  } = input;
  if (signer !== undefined && isUncommittedBuild(commit) && input.signUncommitted !== true) {
    throw uncommittedSigning(commit);
  }
  await Deno.mkdir(outDir, { recursive: true });
  if (subjects.length > 0) {
    const checksums = formatChecksums(subjects);
    await Deno.writeTextFile(join(outDir, "checksums.sha256"), checksums);
    written.push("checksums.sha256");
    // Without a signature `thoth update` refuses the release: sign it when the key is here.
    if (signer !== undefined) {
      await Deno.writeTextFile(
        join(outDir, "checksums.sha256.sig"),
        await signRelease(VERSION, checksums, signer, commit),
      );
      written.push("checksums.sha256.sig");
      if (isUncommittedBuild(commit)) {
        warn(
          `build: warning: signed a release of commit ${commit}, which is not a clean commit ` +
            "(--sign-uncommitted); its signature says so",
        );
      }
    } else {
      warn(
        "build: THOTH_RELEASE_SIGNING_KEY is not set: the release is not signed, and " +
          "thoth update will refuse to install it",
      );
    }
    const manifest = {
      schema: RELEASE_MANIFEST_SCHEMA,
      version: VERSION,
      checksums: "checksums.sha256",
      assets: Object.fromEntries(subjects.map((s) => [s.name, s.name])),
    };
    await Deno.writeTextFile(
      join(outDir, "release-manifest.json"),
      JSON.stringify(manifest, null, 2) + "\n",
    );
    written.push("release-manifest.json");
  }
  const bom = cycloneDxFromLock(lock, {
    name: "thoth",
    version: VERSION,
    timestamp,
    serialSeed: lockDigest,
  }, {
    npm: await shippedNpm(root),
    denoVersion: Deno.version.deno,
    assets: subjects,
  });
  await Deno.writeTextFile(join(outDir, "sbom.cdx.json"), JSON.stringify(bom, null, 2) + "\n");
  written.push("sbom.cdx.json");

  const inputs: string[] = ["deno.json", "deno.lock", "mod.ts"];
  await listFiles(root, "src", inputs);
  await listFiles(root, "scripts", inputs);
  const digested: DigestedFile[] = [];
  for (const path of inputs) {
    if (await exists(join(root, path))) {
      digested.push({ path, sha256: await digestFile(join(root, path)) });
    }
  }
  digested.push({
    path: "generated:src/version.ts",
    sha256: await sha256Hex(
      encoder.encode(
        stampVersionModule(await Deno.readTextFile(join(root, "src", "version.ts")), commit),
      ),
    ),
  });
  const steps: BuildStep[] = [];
  for (const r of results) {
    steps.push({
      asset: r.step.asset,
      target: r.step.target,
      argv: r.step.argv,
      status: r.status,
      ...(r.base === undefined ? {} : {
        base: {
          source: r.base.source,
          path: r.base.path,
          // The digest of the denort deno compile was given (unpacked, for a cached zip).
          sha256: r.baseUsed?.sha256 ??
            (r.base.entry === undefined
              ? await digestFile(r.base.path).catch(() => "unreadable")
              : "not unpacked"),
          ...(r.base.entry === undefined ? {} : { entry: r.base.entry.name }),
          ...(r.baseUsed?.foundSha256 === undefined
            ? {}
            : { foundSha256: r.baseUsed.foundSha256, pinned: r.baseUsed.pinned === true }),
        },
      }),
      ...(r.ran === undefined ? {} : { check: r.ran ? "ran --version" : "header only, not run" }),
      ...(r.note === undefined ? {} : { note: r.note }),
    });
  }
  const provenance = buildProvenance({
    version: VERSION,
    commit,
    timestamp,
    deno: Deno.version,
    host,
    inputs: digested,
    lock: { path: "deno.lock", sha256: lockDigest },
    steps,
    subjects,
  });
  await Deno.writeTextFile(
    join(outDir, "provenance.json"),
    JSON.stringify(provenance, null, 2) + "\n",
  );
  written.push("provenance.json");
}

/**
 * The refusal to sign a build of uncommitted changes (`…-dirty`) or of no
 * known commit (`unknown`): the signature would vouch for sources nobody can
 * check out again.
 *
 * @example
 * ```ts
 * throw uncommittedSigning("abc1234def56-dirty");
 * ```
 */
export function uncommittedSigning(commit: string): AppError {
  return new AppError(
    "build.uncommitted_signing",
    commit === "unknown"
      ? "refusing to sign a release whose source commit is unknown (no git checkout); nothing was built"
      : `refusing to sign a release built from uncommitted changes (commit ${commit}); nothing was built`,
    {
      hints: [
        "commit (or stash) the changes and build again, so the signed commit names the sources",
        "or unset THOTH_RELEASE_SIGNING_KEY for an unsigned test build",
        "or pass --sign-uncommitted to sign anyway: the signature then names the commit as " +
        `"${commit}"`,
      ],
    },
  );
}

/** The npm packages `src/` and `mod.ts` import through deno.json's import map. */
async function shippedNpm(root: string): Promise<{ name: string; version: string }[]> {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json"))) as {
    imports?: Record<string, string>;
  };
  const files: string[] = ["mod.ts"];
  await listFiles(root, "src", files);
  const sources: string[] = [];
  for (const path of files) {
    if (path.endsWith(".ts") && await exists(join(root, path))) {
      sources.push(await Deno.readTextFile(join(root, path)));
    }
  }
  return npmImportsOf(sources, config.imports ?? {});
}
