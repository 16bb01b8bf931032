/**
 * A CycloneDX 1.5 JSON SBOM built from `deno.lock`: one component per npm
 * package (purl `pkg:npm/…@version`, the lock's integrity as a hash), the
 * dependency graph the lock records, and the project's direct dependencies.
 * Given what a release ships ({@linkcode ShippedContents}), it describes
 * that instead: only the npm packages the shipped code imports and what they
 * depend on, the Deno runtime the binaries are built on, and each binary by
 * its SHA-256. Pure: the timestamp and the serial number's seed are passed in.
 *
 * @example
 * ```ts
 * const lock = JSON.parse(await Deno.readTextFile("deno.lock"));
 * const bom = cycloneDxFromLock(lock, {
 *   name: "thoth", version: "0.1.0", timestamp: "2026-01-01T00:00:00Z", serialSeed: "ab".repeat(32),
 * });
 * bom.components.length; // every npm package in the lock
 * ```
 */
import { AppError } from "../errors.ts";
import { toHex } from "../audit/encoding.ts";

/** A CycloneDX hash. */
export interface CdxHash {
  alg: "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";
  content: string;
}

/** A CycloneDX component (the fields this SBOM uses). */
export interface CdxComponent {
  type: "library" | "application" | "framework" | "file";
  "bom-ref": string;
  group?: string;
  name: string;
  version: string;
  purl?: string;
  hashes?: CdxHash[];
}

/** The SBOM document. */
export interface CycloneDxBom {
  bomFormat: "CycloneDX";
  specVersion: "1.5";
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    tools: { components: CdxComponent[] };
    component: CdxComponent;
  };
  components: CdxComponent[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

/** What a release ships, for an SBOM of it rather than of the whole lock. */
export interface ShippedContents {
  /** The npm packages the shipped code imports (see `shipped_packages.ts`). */
  npm: readonly { name: string; version: string }[];
  /** The Deno runtime the binaries are built on (its version; `denort`). */
  denoVersion: string;
  /** Each binary built, by name and SHA-256. */
  assets: readonly { name: string; sha256: string }[];
}

/** What the SBOM says about the thing it describes. */
export interface SbomSubject {
  name: string;
  version: string;
  /** ISO 8601. */
  timestamp: string;
  /** 64 hex digits (e.g. the lock's SHA-256) from which the serial number UUID is made. */
  serialSeed: string;
}

interface LockPackage {
  key: string;
  name: string;
  version: string;
  purl: string;
  integrity: string | undefined;
  dependencies: string[];
}

/** Splits a lock key (`@scope/name@1.2.3_peer@4.5.6`) into name and version. */
export function splitLockKey(key: string): { name: string; version: string } {
  const at = key.indexOf("@", key.startsWith("@") ? 1 : 0);
  if (at <= 0) throw new AppError("build.bad_lock", `cannot read npm package key "${key}"`);
  const name = key.slice(0, at);
  const version = key.slice(at + 1).split("_")[0] ?? "";
  if (version === "") {
    throw new AppError("build.bad_lock", `no version in npm package key "${key}"`);
  }
  return { name, version };
}

/** The package URL of an npm package: the scope's `@` is percent-encoded. */
export function npmPurl(name: string, version: string): string {
  const encoded = name.startsWith("@")
    ? `%40${name.slice(1).split("/").map(encodeURIComponent).join("/")}`
    : encodeURIComponent(name);
  return `pkg:npm/${encoded}@${encodeURIComponent(version)}`;
}

/** Converts an SRI integrity string (`sha512-<base64>`) to a CycloneDX hash. */
export function integrityToHash(integrity: string): CdxHash | undefined {
  const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(integrity.trim());
  if (match === null) return undefined;
  const alg = ({ sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" } as const)[
    match[1] as "sha1" | "sha256" | "sha384" | "sha512"
  ];
  const bytes = Uint8Array.from(atob(match[2] as string), (c) => c.charCodeAt(0));
  return { alg, content: toHex(bytes) };
}

function uuidFromSeed(seed: string): string {
  const hex = seed.toLowerCase().replace(/[^0-9a-f]/g, "").padEnd(32, "0").slice(0, 32);
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${
    hex.slice(17, 20)
  }-${hex.slice(20, 32)}`;
}

function readPackages(lock: Record<string, unknown>): LockPackage[] {
  const npm = lock["npm"];
  if (npm === undefined) return [];
  if (typeof npm !== "object" || npm === null) {
    throw new AppError("build.bad_lock", 'deno.lock "npm" is not an object');
  }
  return Object.entries(npm as Record<string, unknown>).map(([key, raw]) => {
    const { name, version } = splitLockKey(key);
    const entry = typeof raw === "object" && raw !== null ? raw as Record<string, unknown> : {};
    const deps = Array.isArray(entry["dependencies"]) ? entry["dependencies"] : [];
    return {
      key,
      name,
      version,
      purl: npmPurl(name, version),
      integrity: typeof entry["integrity"] === "string" ? entry["integrity"] : undefined,
      dependencies: deps.filter((d): d is string => typeof d === "string"),
    };
  });
}

/** Finds the package a lock dependency entry (`name`, `name@ver`, or a full key) points at. */
function resolveDep(dep: string, packages: readonly LockPackage[]): LockPackage | undefined {
  const exact = packages.find((p) => p.key === dep);
  if (exact !== undefined) return exact;
  const at = dep.indexOf("@", dep.startsWith("@") ? 1 : 0);
  if (at > 0) {
    const { name, version } = splitLockKey(dep);
    return packages.find((p) => p.name === name && p.version === version);
  }
  const byName = packages.filter((p) => p.name === dep);
  return byName.length === 1 ? byName[0] : undefined;
}

/** Builds the SBOM. Throws `build.bad_lock` on a lock it cannot read. */
export function cycloneDxFromLock(
  lockValue: unknown,
  subject: SbomSubject,
  shipped?: ShippedContents,
): CycloneDxBom {
  if (typeof lockValue !== "object" || lockValue === null) {
    throw new AppError("build.bad_lock", "deno.lock is not a JSON object");
  }
  const lock = lockValue as Record<string, unknown>;
  const packages = readPackages(lock);
  const byPurl = new Map<string, CdxComponent>();
  const graph = new Map<string, Set<string>>();
  for (const p of packages) {
    if (!byPurl.has(p.purl)) {
      const slash = p.name.startsWith("@") ? p.name.indexOf("/") : -1;
      const component: CdxComponent = {
        type: "library",
        "bom-ref": p.purl,
        ...(slash > 0 ? { group: p.name.slice(0, slash) } : {}),
        name: slash > 0 ? p.name.slice(slash + 1) : p.name,
        version: p.version,
        purl: p.purl,
      };
      const hash = p.integrity === undefined ? undefined : integrityToHash(p.integrity);
      if (hash !== undefined) component.hashes = [hash];
      byPurl.set(p.purl, component);
      graph.set(p.purl, new Set());
    }
    const edges = graph.get(p.purl) as Set<string>;
    for (const dep of p.dependencies) {
      const target = resolveDep(dep, packages);
      if (target === undefined) {
        throw new AppError("build.bad_lock", `"${p.key}" depends on "${dep}", not in deno.lock`);
      }
      if (target.purl !== p.purl) edges.add(target.purl);
    }
  }

  const rootRef = `thoth-app:${subject.name}@${subject.version}`;
  const rootDeps = new Set<string>();
  const specifiers = typeof lock["specifiers"] === "object" && lock["specifiers"] !== null
    ? lock["specifiers"] as Record<string, unknown>
    : {};
  const workspace = lock["workspace"] as { dependencies?: unknown } | undefined;
  const direct = Array.isArray(workspace?.dependencies) ? workspace.dependencies : [];
  for (const spec of direct) {
    if (typeof spec !== "string" || !spec.startsWith("npm:")) continue;
    const resolved = specifiers[spec];
    if (typeof resolved !== "string") continue;
    const name = splitLockKey(spec.slice(4)).name;
    const target = packages.find((p) => p.key === `${name}@${resolved}`);
    if (target !== undefined) rootDeps.add(target.purl);
  }

  let kept = [...byPurl.values()];
  if (shipped !== undefined) {
    rootDeps.clear();
    for (const pkg of shipped.npm) {
      const target = packages.find((p) => p.name === pkg.name && p.version === pkg.version);
      if (target === undefined) {
        throw new AppError(
          "build.bad_lock",
          `the shipped code imports npm:${pkg.name}@${pkg.version}, which deno.lock does not hold`,
          { hints: ['run "deno install" (or any deno command that reads deno.json) to update it'] },
        );
      }
      rootDeps.add(target.purl);
    }
    const reached = closure(rootDeps, graph);
    kept = kept.filter((c) => reached.has(c["bom-ref"]));
    const runtime = denoRuntime(shipped.denoVersion);
    byPurl.set(runtime["bom-ref"], runtime);
    graph.set(runtime["bom-ref"], new Set());
    rootDeps.add(runtime["bom-ref"]);
    kept.push(runtime);
    for (const asset of shipped.assets) {
      const file: CdxComponent = {
        type: "file",
        "bom-ref": `thoth-asset:${asset.name}`,
        name: asset.name,
        version: subject.version,
        hashes: [{ alg: "SHA-256", content: asset.sha256 }],
      };
      graph.set(file["bom-ref"], new Set([...rootDeps]));
      kept.push(file);
    }
  }
  const components = kept.sort((a, b) =>
    a["bom-ref"] < b["bom-ref"] ? -1 : a["bom-ref"] > b["bom-ref"] ? 1 : 0
  );
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    serialNumber: `urn:uuid:${uuidFromSeed(subject.serialSeed)}`,
    version: 1,
    metadata: {
      timestamp: subject.timestamp,
      tools: {
        components: [{
          type: "application",
          "bom-ref": "thoth-build",
          name: "thoth scripts/build.ts",
          version: subject.version,
        }],
      },
      component: {
        type: "application",
        "bom-ref": rootRef,
        name: subject.name,
        version: subject.version,
      },
    },
    components,
    dependencies: [
      { ref: rootRef, dependsOn: [...rootDeps].sort() },
      ...components.map((c) => ({
        ref: c["bom-ref"],
        dependsOn: [...(graph.get(c["bom-ref"]) ?? [])].sort(),
      })),
    ],
  };
}

/** Every ref reachable from `roots` in `graph`, the roots included. */
function closure(roots: ReadonlySet<string>, graph: ReadonlyMap<string, Set<string>>): Set<string> {
  const reached = new Set<string>();
  const next = [...roots];
  while (next.length > 0) {
    const ref = next.pop()!;
    if (reached.has(ref)) continue;
    reached.add(ref);
    for (const dep of graph.get(ref) ?? []) next.push(dep);
  }
  return reached;
}

/** The Deno runtime (`denort`) a compiled binary carries. */
function denoRuntime(version: string): CdxComponent {
  const purl = `pkg:github/denoland/deno@v${encodeURIComponent(version)}`;
  return { type: "framework", "bom-ref": purl, group: "denoland", name: "denort", version, purl };
}
