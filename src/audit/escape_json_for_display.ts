/**
 * What `thoth audit show --json` (and every other command that prints stored
 * lines or a JSON document to a terminal) passes its JSON through: JSON itself
 * escapes only U+0000–U+001F, so every other character a terminal or a
 * reader could act on (DEL and C1 controls, bidirectional overrides, the
 * line and paragraph separators, characters drawn as nothing) is written as
 * a `\uXXXX` escape too; each line still parses to the stored record. Pure.
 *
 * @example
 * ```ts
 * io.out(escapeJsonForDisplay(JSON.stringify(record)) + "\n");
 * ```
 */

/**
 * What JSON leaves as it is and a screen may act on: DEL and the C1
 * controls (U+009B is a CSI on some terminals), format characters (bidi
 * marks, embeddings, overrides and isolates such as U+061C, U+200E,
 * U+202E and U+2066; zero-width characters), the line and paragraph
 * separators U+2028 and U+2029, and every default-ignorable code point.
 * The set `displayText` replaces, less U+0000–U+001F: JSON escapes those
 * inside a string, and outside one they are only the whitespace between
 * tokens (a tab, a newline), which must stay as it is.
 */
const JSON_UNSAFE = /[\u007f-\u009f\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu;

/**
 * A JSON text with every character a terminal or a reader could act on
 * written as a `\uXXXX` escape (a pair of them beyond U+FFFF), so it parses
 * to the same value while the bytes on screen are inert. Only sound on JSON:
 * outside its strings a JSON text holds no such character, and inside one
 * an escape means the character itself. Pure.
 *
 * @example
 * ```ts
 * escapeJsonForDisplay('{"tool":"a\u202Eb"}'); // '{"tool":"a\\u202eb"}'
 * ```
 */
export function escapeJsonForDisplay(json: string): string {
  return json.replace(JSON_UNSAFE, (char) => {
    let escaped = "";
    for (let i = 0; i < char.length; i++) {
      escaped += "\\u" + char.charCodeAt(i).toString(16).padStart(4, "0");
    }
    return escaped;
  });
}
