/**
 * `checksums.sha256` in the format `sha256sum` writes and `sha256sum -c`
 * reads: one `<64 hex>  <name>` line per file. Pure; the parser fails closed
 * on anything it does not understand.
 *
 * @example
 * ```ts
 * const text = formatChecksums([{ name: "thoth-linux-x86_64", sha256: "ab".repeat(32) }]);
 * parseChecksums(text).get("thoth-linux-x86_64"); // "abab…"
 * ```
 */
import { AppError } from "../errors.ts";

/** One file's name and SHA-256. */
export interface ChecksumEntry {
  readonly name: string;
  readonly sha256: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Formats entries sorted by name, two spaces between digest and name, LF line ends. */
export function formatChecksums(entries: readonly ChecksumEntry[]): string {
  const sorted = [...entries].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return sorted.map((e) => {
    if (!HEX64.test(e.sha256)) throw new Error(`not a SHA-256 hex digest: "${e.sha256}"`);
    if (/[\r\n\\]/.test(e.name) || e.name === "") throw new Error(`bad file name "${e.name}"`);
    return `${e.sha256}  ${e.name}\n`;
  }).join("");
}

/**
 * Parses a checksums file into name → lowercase digest. Accepts text (`  `) and
 * binary (` *`) markers and CRLF; refuses malformed lines and a name listed
 * twice with different digests.
 */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, "");
    if (line.trim() === "") continue;
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (match === null) {
      throw new AppError(
        "release.bad_checksums",
        `checksums file line ${i + 1} is not "<sha256>  <name>": "${line.slice(0, 80)}"`,
      );
    }
    const digest = (match[1] as string).toLowerCase();
    const name = match[2] as string;
    const seen = out.get(name);
    if (seen !== undefined && seen !== digest) {
      throw new AppError(
        "release.bad_checksums",
        `checksums file lists "${name}" twice with different digests`,
      );
    }
    out.set(name, digest);
  }
  return out;
}
