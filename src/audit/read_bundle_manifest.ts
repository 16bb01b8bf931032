/**
 * Reads a bundle's manifest.json and checks its shape before anything is read
 * from it: a format this thoth knows, listed paths that stay inside the
 * bundle, a start (unsigned, so trusted only once a signed checkpoint agrees
 * with it) that is a well-formed tree, and included and requested seq ranges
 * and a period (claims, checked against the signed export statement and the
 * records) that are ones. Throws `audit.bad_bundle`, which `verify` reports as "could not run"
 * (exit 3). Pure.
 *
 * @example
 * ```ts
 * const manifest = readBundleManifest(JSON.parse(text), "q3/manifest.json");
 * manifest.start?.size; // 120
 * ```
 */
import { AppError } from "../errors.ts";
import type { VerifyStart } from "./verify_report.ts";
import { BUNDLE_FORMAT, UNSIGNED_BUNDLE_FORMAT } from "./export_statement.ts";

/** What the verifier takes from a manifest. */
export interface BundleManifest {
  /** Each file with its SHA-256 and, when the manifest states it, its length. */
  files: { path: string; sha256: string; bytes?: number }[];
  start?: VerifyStart;
  /** The seq range the manifest says the records hold (unsigned: a claim to check). */
  included?: { firstSeq: number; lastSeq: number };
  /** The records that fell in the period asked for (a claim, like `included`). */
  requested?: { firstSeq: number; lastSeq: number };
  /** The period asked for (ISO 8601, null for an open end), when the manifest states it. */
  period?: { since: string | null; until: string | null };
  /**
   * `thoth-audit-bundle/2` carries a signed export statement (export.note);
   * `thoth-audit-bundle/1` (or none) was written before thoth signed one.
   */
  format: typeof BUNDLE_FORMAT | typeof UNSIGNED_BUNDLE_FORMAT | undefined;
}

const HEX64 = /^[0-9a-f]{64}$/;
/** The only paths an exported bundle lists. */
const BUNDLE_PATH =
  /^(?:records\/[^/\\]+\.jsonl|checkpoints\/[^/\\]+\.note|keys\/audit-signing-keys\.json|keys\/key-rotations\.jsonl|README\.md)$/;

/** Checks a parsed manifest; `path` names it in errors. */
export function readBundleManifest(value: unknown, path: string): BundleManifest {
  const bad = (what: string, found: unknown): AppError =>
    new AppError(
      "audit.bad_bundle",
      `the bundle manifest "${path}" has an invalid ${what} ${describe(found)}`,
      { hints: ['export the bundle again with "thoth audit export"'] },
    );
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw bad("top level: expected an object, found", value);
  }
  const manifest = value as Record<string, unknown>;
  const format = manifest["format"];
  if (format !== undefined && format !== BUNDLE_FORMAT && format !== UNSIGNED_BUNDLE_FORMAT) {
    throw bad(`format: expected "${BUNDLE_FORMAT}" or "${UNSIGNED_BUNDLE_FORMAT}", found`, format);
  }
  const known = format as BundleManifest["format"];
  const files: BundleManifest["files"] = [];
  const rawFiles = manifest["files"] ?? [];
  if (!Array.isArray(rawFiles)) throw bad("files: expected a list, found", rawFiles);
  for (const [i, file] of rawFiles.entries()) {
    const entry = (file ?? {}) as Record<string, unknown>;
    const filePath = entry["path"];
    const sha256 = entry["sha256"];
    if (typeof filePath !== "string" || !BUNDLE_PATH.test(filePath)) {
      throw bad(
        `files[${i}].path: expected a bundle file such as "records/….jsonl", found`,
        filePath,
      );
    }
    if (typeof sha256 !== "string" || !HEX64.test(sha256)) {
      throw bad(`files[${i}].sha256: expected 64 lowercase hex digits, found`, sha256);
    }
    const bytes = entry["bytes"];
    if (bytes !== undefined && !isCount(bytes)) {
      throw bad(`files[${i}].bytes: expected a whole number of bytes, found`, bytes);
    }
    files.push({ path: filePath, sha256, ...(bytes !== undefined ? { bytes } : {}) });
  }
  const included = readIncluded(manifest["included"], bad, "included");
  const requested = readIncluded(manifest["requested"], bad, "requested");
  const period = readPeriod(manifest["period"], bad);
  const claims = {
    files,
    format: known,
    ...(included ? { included } : {}),
    ...(requested ? { requested } : {}),
    ...(period ? { period } : {}),
  };
  const rawStart = manifest["start"];
  if (rawStart === undefined) return claims;
  if (rawStart === null || typeof rawStart !== "object" || Array.isArray(rawStart)) {
    throw bad("start: expected an object, found", rawStart);
  }
  const start = rawStart as Record<string, unknown>;
  const size = start["size"];
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw bad("start.size: expected a whole number of records, 0 or more, found", size);
  }
  const prev = start["prev"];
  if (typeof prev !== "string" || !HEX64.test(prev)) {
    throw bad("start.prev: expected 64 lowercase hex digits, found", prev);
  }
  const frontier = start["frontier"];
  const needed = popCount(size);
  if (
    !Array.isArray(frontier) || frontier.length !== needed ||
    !frontier.every((h) => typeof h === "string" && HEX64.test(h))
  ) {
    throw bad(
      `start.frontier: expected ${needed} hashes of 64 lowercase hex digits for size ${size}, found`,
      frontier,
    );
  }
  return { ...claims, start: { size, prev, frontier: frontier as string[] } };
}

function readPeriod(
  value: unknown,
  bad: (what: string, found: unknown) => AppError,
): BundleManifest["period"] {
  if (value === undefined) return undefined;
  const period = (value ?? {}) as Record<string, unknown>;
  const end = (v: unknown) => v === null || (typeof v === "string" && /^\S+$/.test(v));
  if (
    value === null || typeof value !== "object" || Array.isArray(value) ||
    !end(period["since"]) || !end(period["until"])
  ) {
    throw bad("period: expected {since, until}, each a time or null, found", value);
  }
  return { since: period["since"] as string | null, until: period["until"] as string | null };
}

function readIncluded(
  value: unknown,
  bad: (what: string, found: unknown) => AppError,
  name: string,
): BundleManifest["included"] {
  if (value === undefined) return undefined;
  const range = (value ?? {}) as Record<string, unknown>;
  const firstSeq = range["firstSeq"];
  const lastSeq = range["lastSeq"];
  if (
    value === null || typeof value !== "object" || Array.isArray(value) || !isCount(firstSeq) ||
    !isCount(lastSeq) || lastSeq < firstSeq
  ) {
    throw bad(`${name}: expected {firstSeq, lastSeq} with 0 <= firstSeq <= lastSeq, found`, value);
  }
  return { firstSeq, lastSeq };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function popCount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}
