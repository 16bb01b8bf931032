/**
 * Whether a text shows signs of JavaScript code rather than prose, for
 * `backtick_in_code.ts`: a zx tag apart from its template after a
 * lower-case name's `=` (`` out = $ `…` ``) or a `(NAME =>` reads as code
 * only in a text that shows them, since prose writes both (``cost = $
 * `…`.``, ``Tip: (x => $ `…`)``). Pure.
 *
 * @example
 * ```ts
 * codeSigns("const a = 1;\nout = $ `ls`")(); // true
 * codeSigns("cost = $ `ls`.")(); // false
 * ```
 */

/**
 * Signs that a text is JavaScript code, not prose: a line that ends with
 * `;`, one that starts with `import`, `export`, `const`, `let`, `var`,
 * `async` or `function`, an `await` before a tag or a call (`await $`,
 * `` await fetch(`` ``; not the word in "requests await a decision"), or a
 * `#!` line (`#!/usr/bin/env zx`).
 */
const CODE_SIGNS =
  /;[ \t]*\r?$|^[ \t]*(?:import|export|const|let|var|async|function)(?![\w$])|(?<![\w$])await[ \t]+(?:\$|[\w$.]+[ \t]*[(`])|^#!/m;

/**
 * A test of whether `text` shows signs of JavaScript code (see
 * {@linkcode CODE_SIGNS}), searched once, the first time it is asked.
 *
 * @example
 * ```ts
 * const signs = codeSigns("#!/usr/bin/env zx\nout = $ `ls`");
 * signs(); // true (and searched no more)
 * ```
 */
export function codeSigns(text: string): () => boolean {
  let found: boolean | undefined;
  return () => found ??= CODE_SIGNS.test(text);
}
