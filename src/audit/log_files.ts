/**
 * Reads what the audit folder holds: segment names in log order, checkpoint
 * notes, and the whole evidence set the verifier needs. Thin I/O.
 *
 * @example
 * ```ts
 * const segments = await listSegments("/home/ana/.thoth/audit");
 * const notes = await readCheckpointNotes("/home/ana/.thoth/audit/checkpoints");
 * ```
 */
import { CHECKPOINT_PATTERN, SEGMENT_PATTERN } from "./log_paths.ts";

/** Segment file names in `dir`, in log order (empty when the folder does not exist). */
export async function listSegments(dir: string): Promise<string[]> {
  return (await listNames(dir)).filter((name) => SEGMENT_PATTERN.test(name)).sort();
}

/**
 * What `segments` in `dir` are now, as one string: each name with its size
 * and modification time. Two equal fingerprints mean nothing was appended,
 * cut, added or removed in between (short of an edit that keeps size and
 * time), so a verdict on the log's content still holds.
 */
export async function segmentsFingerprint(
  dir: string,
  segments: readonly string[],
): Promise<string> {
  const parts = await Promise.all(segments.map(async (name) => {
    const info = await Deno.stat(`${dir}/${name}`);
    return `${name}:${info.size}:${info.mtime?.getTime() ?? "?"}`;
  }));
  return parts.join("\n");
}

/** Checkpoint notes in `dir` by size order, with their file names as sources. */
export async function readCheckpointNotes(
  dir: string,
): Promise<{ source: string; note: string }[]> {
  const names = (await listNames(dir)).filter((name) => CHECKPOINT_PATTERN.test(name)).sort();
  return await Promise.all(
    names.map(async (name) => ({ source: name, note: await Deno.readTextFile(`${dir}/${name}`) })),
  );
}

async function listNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return names;
}
