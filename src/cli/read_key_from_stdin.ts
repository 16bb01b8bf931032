/**
 * Standard input as `set-api-key --api-key -` reads it
 * ({@linkcode readKeyFromStdin}): typed at a terminal without being shown
 * (see `read_hidden_line.ts`), else piped, read in chunks and refused once
 * past {@linkcode MAX_KEY_INPUT}.
 *
 * @example
 * ```ts
 * const key = await readKeyFromStdin(() => console.error("paste the key"));
 * ```
 */
import { MAX_KEY_INPUT, tooLong } from "./api_key_input_refusals.ts";
import { readHiddenLine } from "./read_hidden_line.ts";

/**
 * Standard input as text: typed at a terminal without being shown (see
 * {@linkcode readHiddenLine}), else read in chunks and refused as soon as it
 * is past the limit (a key is short; what is piped may not be).
 */
export async function readKeyFromStdin(prompt?: () => void): Promise<string> {
  if (Deno.stdin.isTerminal()) return await readHiddenLine(Deno.stdin, prompt);
  prompt?.();
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(16 * 1024);
  let text = "";
  let total = 0;
  for (;;) {
    const n = await Deno.stdin.read(buffer);
    if (n === null) break;
    total += n;
    if (total > MAX_KEY_INPUT) throw tooLong();
    text += decoder.decode(buffer.subarray(0, n), { stream: true });
  }
  return text + decoder.decode();
}
