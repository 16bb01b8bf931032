/**
 * The command lines that the words after `cmd [switches] /c` may make, as
 * cmd reads them. Pure.
 *
 * @example
 * ```ts
 * cmdLineVariants(["C:\\Program Files\\thoth\\thoth.exe", "run"]);
 * // Set { '"C:\\Program Files\\thoth\\thoth.exe" run', "C:\\Program Files\\thoth\\thoth.exe run" }
 * ```
 */

/**
 * The lines the words after `cmd [switches] /c` make, as given and without
 * their outer quotes (`/s`, and cmd's own rule without it). A word with a
 * blank in it stays one word, quoted the way the C runtime quotes it when
 * it builds the line (`"C:\\Program Files\\thoth\\thoth.exe" run`); the line
 * joined without those quotes is one too. Each line once, in that order.
 */
export function cmdLineVariants(words: readonly string[]): Set<string> {
  const quoted = words.map((word) =>
    /^$|\s/.test(word) && !word.includes('"') ? `"${word}"` : word
  );
  const lines = new Set<string>();
  for (const line of [quoted.join(" "), words.join(" ")]) {
    lines.add(line);
    const trimmed = line.trim();
    if (trimmed.startsWith('"') && trimmed.lastIndexOf('"') > 0) {
      const last = trimmed.lastIndexOf('"');
      lines.add(trimmed.slice(1, last) + trimmed.slice(last + 1));
    }
  }
  return lines;
}
