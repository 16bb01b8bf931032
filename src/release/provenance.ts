/**
 * `provenance.json`: what went into a release build and what came out — the
 * source commit, every input file's SHA-256, the lock digest, the Deno that
 * compiled, each target's command line, the runtime base it used and whether
 * it was built. Pure: the shell gathers the facts and passes them in.
 *
 * @example
 * ```ts
 * const doc = buildProvenance({
 *   version: "0.1.0", commit: "abc1234", timestamp: "2026-01-01T00:00:00Z",
 *   deno: { deno: "2.9.6", v8: "…", typescript: "…" }, host: "x86_64-unknown-linux-gnu",
 *   inputs: [], lock: { path: "deno.lock", sha256: "…" }, steps: [], subjects: [],
 * });
 * ```
 */

/** A file and its SHA-256. */
export interface DigestedFile {
  readonly path: string;
  readonly sha256: string;
}

/**
 * How one planned binary ended. `unverified_base`: a target this machine
 * cannot run, whose runtime base no `--base-sha256` pins, so it was not built.
 */
export type StepStatus =
  | "built"
  | "failed"
  | "no_base"
  | "missing_entry"
  | "not_run"
  | "unverified_base";

/** One compile or merge, as run (or not). */
export interface ProvenanceStep {
  readonly asset: string;
  readonly target: string;
  readonly argv: readonly string[];
  readonly status: StepStatus;
  /** Where the runtime base came from, and its digest when known. */
  readonly base?: { readonly source: string; readonly path?: string; readonly sha256?: string };
  readonly note?: string;
}

/** Inputs of {@linkcode buildProvenance}. */
export interface ProvenanceInput {
  readonly version: string;
  readonly commit: string;
  readonly timestamp: string;
  readonly deno: { readonly deno: string; readonly v8: string; readonly typescript: string };
  readonly host: string;
  readonly inputs: readonly DigestedFile[];
  readonly lock: DigestedFile;
  readonly steps: readonly ProvenanceStep[];
  /** The files that were really produced. */
  readonly subjects: readonly { readonly name: string; readonly sha256: string }[];
}

/** The provenance document. */
export function buildProvenance(input: ProvenanceInput): Record<string, unknown> {
  const byPath = (a: DigestedFile, b: DigestedFile) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  return {
    schema: "thoth.provenance/v1",
    version: input.version,
    timestamp: input.timestamp,
    subjects: [...input.subjects].sort((a, b) => a.name < b.name ? -1 : 1),
    source: { commit: input.commit, inputs: [...input.inputs].sort(byPath) },
    lock: input.lock,
    builder: { deno: input.deno, host: input.host, script: "scripts/build.ts" },
    targets: [...new Set(input.steps.map((s) => s.target))],
    steps: input.steps,
  };
}
