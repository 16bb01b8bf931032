/**
 * The text of a file that must be UTF-8 (the policy, the intent map): its
 * bytes decoded strictly, never with replacement characters, which would
 * turn `Müller` saved as Latin-1 into a name no rule matches. A file that
 * is not UTF-8 is refused, naming the line and column of its first byte that
 * is not; one saved as UTF-16 (PowerShell 5's `Out-File`, Notepad's
 * "Unicode") is named as such. Pure.
 *
 * @example
 * ```ts
 * utf8FileText(new TextEncoder().encode("{}"), { code: "policy.invalid", name: 'policy "p.jsonc"' });
 * // "{}"; the bytes of "M\xfcller" throw policy.invalid: … line 1 column 2: …
 * ```
 */
import { AppError, type ErrorCode } from "../errors.ts";
import { lineColumnAt, lineStarts } from "./line_column.ts";

/** How a file that is not UTF-8 is refused: the error's code, and the file as messages name it. */
export interface Utf8File {
  /** The code of the error that refuses the file (`policy.invalid`, `intent_map.invalid`). */
  readonly code: ErrorCode;
  /** The file as a message names it: `policy "/home/ana/.thoth/policy.jsonc"`. */
  readonly name: string;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const UTF8_KEEPING_BOM = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const SAVE_AS_UTF8 = "save the file as UTF-8 (an editor's Save As offers the encoding; in " +
  "PowerShell: Set-Content -Encoding utf8 or Out-File -Encoding utf8)";

/**
 * The text of `bytes`, a UTF-8 byte-order mark dropped unless `keepBom`;
 * throws an `AppError` with `file.code` when they are not UTF-8.
 */
export function utf8FileText(bytes: Uint8Array, file: Utf8File, keepBom = false): string {
  const order = utf16Order(bytes);
  if (order !== undefined) {
    throw new AppError(file.code, `${file.name} is saved as UTF-16 (${order}), not as UTF-8`, {
      hints: [
        `${SAVE_AS_UTF8}; PowerShell 5's Out-File and Notepad's "Unicode" write UTF-16`,
      ],
    });
  }
  try {
    return (keepBom ? UTF8_KEEPING_BOM : UTF8).decode(bytes);
  } catch {
    const at = firstNonUtf8Byte(bytes);
    // Counted as the readers count: after a byte-order mark, lines ending at \n, \r\n or \r.
    const before = UTF8.decode(bytes.subarray(0, at));
    const { line, column } = lineColumnAt(lineStarts(before), before.length);
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    throw new AppError(
      file.code,
      `${file.name} line ${line} column ${column}: the byte 0x${byte} is not UTF-8: the file ` +
        "is saved in another encoding (such as Windows-1252 or Latin-1)",
      { hints: [SAVE_AS_UTF8] },
    );
  }
}

/**
 * Which UTF-16 `bytes` are in, when they start with its byte-order mark or
 * have the shape ASCII text takes in it: a NUL byte beside each character.
 */
function utf16Order(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "little-endian";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "big-endian";
  const pairs = Math.min(bytes.length >> 1, 4);
  if (pairs === 0) return undefined;
  let little = true;
  let big = true;
  for (let k = 0; k < pairs; k++) {
    const first = bytes[2 * k]!;
    const second = bytes[2 * k + 1]!;
    little &&= first !== 0 && second === 0;
    big &&= first === 0 && second !== 0;
  }
  return little ? "little-endian" : big ? "big-endian" : undefined;
}

/** The offset of the first byte of `bytes` that starts no well-formed UTF-8 sequence. */
function firstNonUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The sequence's length after its lead byte, and the range its second byte must be in.
    let follow: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) follow = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      follow = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      follow = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= follow; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += follow + 1;
  }
  return i;
}
