/**
 * What the record of a refused spool file says of its bytes: their SHA-256,
 * their count, and how many lines they hold (the header aside). Read a chunk
 * at a time, never whole: a refused file may be of any size. The hash is the
 * runtime's native one (`node:crypto`), loaded only when a file is refused.
 *
 * @example
 * ```ts
 * const { sha256, bytes, lines } = await digestSpoolFile(`${spoolDir}/s-1-1.jsonl.refused`);
 * ```
 */
import { openRegularFile } from "../platform/open_regular_file.ts";
import { toHex } from "./encoding.ts";

/** A spool file's bytes, summed up. */
export interface SpoolFileDigest {
  /** SHA-256 (hex) of its bytes; absent when the runtime offers no native hash. */
  sha256?: string;
  bytes: number;
  /** Its lines that hold anything, less those that start with `#` (its header). */
  lines: number;
}

type CreateHash = (algorithm: string) => {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
};

let loading: Promise<CreateHash | undefined> | undefined;

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;
const HASH = 0x23;

/** Reads the regular file at `path` once, to its end; throws when it cannot. */
export async function digestSpoolFile(path: string): Promise<SpoolFileDigest> {
  loading ??= import("node:crypto").then(
    (module) => module.createHash as unknown as CreateHash,
    () => undefined,
  );
  const hash = (await loading)?.("sha256");
  const file = await openRegularFile(path);
  try {
    const chunk = new Uint8Array(CHUNK);
    let bytes = 0;
    let lines = 0;
    /** The current line's length so far, and its first byte. */
    let length = 0;
    let first = 0;
    for (;;) {
      const n = await file.read(chunk);
      if (n === null) break;
      const data = chunk.subarray(0, n);
      hash?.update(data);
      bytes += n;
      let start = 0;
      for (let end = data.indexOf(NEWLINE); end >= 0; end = data.indexOf(NEWLINE, start)) {
        if (length === 0 && end > start) first = data[start]!;
        length += end - start;
        if (length > 0 && first !== HASH) lines++;
        length = 0;
        start = end + 1;
      }
      if (start < n) {
        if (length === 0) first = data[start]!;
        length += n - start;
      }
    }
    if (length > 0 && first !== HASH) lines++;
    return {
      ...(hash === undefined ? {} : { sha256: toHex(new Uint8Array(hash.digest())) }),
      bytes,
      lines,
    };
  } finally {
    file.close();
  }
}
