/**
 * `length` bytes of an open file from `start`, fewer only where the file
 * ends sooner: the reads of a segment's end that `thoth doctor`'s audit
 * check makes (see `check_log_end.ts`, `recent_chain.ts`).
 *
 * @example
 * ```ts
 * using file = await Deno.open(segment);
 * const tail = await readFileAt(file, size - 4096, 4096);
 * ```
 */
export async function readFileAt(
  file: Deno.FsFile,
  start: number,
  length: number,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  await file.seek(start, Deno.SeekMode.Start);
  let read = 0;
  while (read < length) {
    const n = await file.read(buffer.subarray(read));
    if (n === null || n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}
