/**
 * Says what keeps a text from being a signed checkpoint note (the C2SP
 * signed-note format around a tlog checkpoint), before any signature is
 * checked: a file of the wrong shape handed in as an anchor is bad input,
 * not evidence that the log was changed. Pure.
 *
 * @example
 * ```ts
 * checkpointNoteProblem("hello\n"); // "it has no blank line between the checkpoint and its signatures"
 * checkpointNoteProblem(exportedNote); // undefined
 * ```
 */
import { parseCheckpoint } from "./checkpoint.ts";
import { fromBase64 } from "./encoding.ts";

const SIGNATURE_LINE = /^\u2014 (\S+) (\S+)$/;

/** What is wrong with `text` as a signed checkpoint note; undefined when nothing is. */
export function checkpointNoteProblem(text: string): string | undefined {
  if (text.trim() === "") return "it is empty";
  if (text.includes("\r")) {
    return "it has carriage returns (CR LF line ends?): a signed note uses LF line ends only";
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x0a) || code === 0x7f) {
      return `it holds a control character (0x${
        code.toString(16).padStart(2, "0")
      }) at offset ${i}: a signed note is plain text`;
    }
  }
  if (!text.endsWith("\n")) return "it does not end with a newline";
  if (text.endsWith("\n\n")) {
    return "it ends with a blank line: a signed note ends right after its last signature line";
  }
  const split = text.lastIndexOf("\n\n");
  if (split < 0) return "it has no blank line between the checkpoint and its signatures";
  const body = text.slice(0, split + 1);
  const signatures = text.slice(split + 2, -1).split("\n");
  for (const [i, line] of signatures.entries()) {
    const match = SIGNATURE_LINE.exec(line);
    const blob = match === null ? undefined : fromBase64(match[2]!);
    if (blob === undefined || blob.length < 5) {
      return `signature line ${i + 1} ${
        JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line)
      } is not "— <key name> <base64 key hash and signature>"`;
    }
  }
  if (parseCheckpoint(body) === undefined) {
    return "the text above its signatures is not a checkpoint (an origin line, a tree size, a base64 SHA-256 root hash)";
  }
  return undefined;
}
