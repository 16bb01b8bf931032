/**
 * How the release build speaks: {@linkcode say} writes a line to stderr
 * (progress, warnings, notes), {@linkcode print} writes to stdout (the
 * `--json` summary only). Each writes all of its bytes, synchronously.
 *
 * @example
 * ```ts
 * say("build: note: …");
 * print(JSON.stringify(summary, null, 2) + "\n");
 * ```
 */
const encoder = new TextEncoder();

/** Writes `text` to stderr, ending it with a line break if it has none. */
export function say(text: string): void {
  let bytes = encoder.encode(text.endsWith("\n") ? text : `${text}\n`);
  while (bytes.length > 0) bytes = bytes.subarray(Deno.stderr.writeSync(bytes));
}

/** Writes `text` to stdout as it is. */
export function print(text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
}
