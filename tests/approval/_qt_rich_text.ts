/**
 * A model of how Qt's text edit (kdialog's text window) shows one line it
 * is given in "auto" format: {@linkcode mightBeRichText} ports Qt's
 * heuristic (`Qt::mightBeRichText`) that picks HTML or plain text, and
 * {@linkcode shownText} what an HTML line then shows, for what tests give
 * it: tags and comments dropped, the text of `style`, `script`, `head` and
 * `title` dropped, entities decoded, and whitespace collapsed as HTML does
 * (a block's leading whitespace dropped, a run shown as one space, `&nbsp;`
 * kept), unless a `white-space: pre-wrap` style keeps it (when `style` is
 * true: a reader that honours it, as Qt does).
 */

/** The element names Qt's HTML reader knows (a line whose first tag is one is read as HTML). */
const QT_ELEMENTS = new Set(
  (
    "a address b big blockquote body br caption center cite code dd dfn div dl dt em font " +
    "h1 h2 h3 h4 h5 h6 head hr html i img kbd li link meta nobr ol p pre qt s samp script " +
    "small span strong style sub sup table tbody td tfoot th thead title tr tt u ul var"
  ).split(" "),
);

const isSpace = (char: string | undefined) => char !== undefined && /\s/u.test(char);

/** Whether Qt reads `text` as HTML in "auto" format (a port of `Qt::mightBeRichText`). */
export function mightBeRichText(text: string): boolean {
  if (text === "") return false;
  let start = 0;
  while (start < text.length && isSpace(text[start])) start++;
  if (text.startsWith("<?xml", start)) {
    while (start < text.length) {
      if (text[start] === "?" && start + 2 < text.length && text[start + 1] === ">") {
        start += 2;
        break;
      }
      start++;
    }
    while (start < text.length && isSpace(text[start])) start++;
  }
  if (text.slice(start, start + 5).toLowerCase() === "<!doc") return true;
  let open = start;
  while (open < text.length && text[open] !== "<" && text[open] !== "\n") {
    if (text[open] === "&" && text.slice(open + 1, open + 4) === "lt;") return true;
    open++;
  }
  if (text[open] !== "<") return false;
  const close = text.indexOf(">", open);
  if (close < 0) return false;
  let tag = "";
  for (let i = open + 1; i < close; i++) {
    const char = text[i]!;
    if (/[\p{L}\p{Nd}]/u.test(char)) tag += char;
    else if (tag !== "" && isSpace(char)) break;
    else if (tag !== "" && char === "/" && i + 1 === close) break;
    else if (!isSpace(char) && (tag !== "" || char !== "!")) return false;
  }
  return QT_ELEMENTS.has(tag.toLowerCase());
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/** Elements whose text is not shown. */
const UNSHOWN = new Set(["style", "script", "head", "title"]);

/** What an HTML `line` shows (see above); `style`: whether `white-space: pre-wrap` is honoured. */
export function shownText(line: string, style: boolean): string {
  const stack: { name: string; keep: boolean }[] = [];
  let out = "";
  // At a block's start, and after a collapsible space, whitespace is dropped.
  let dropSpace = true;
  const keep = () => style && stack.some((open) => open.keep);
  const hidden = () => stack.some((open) => UNSHOWN.has(open.name));
  const add = (char: string) => {
    if (hidden()) return;
    if (keep()) {
      out += char;
      dropSpace = false;
    } else if (isSpace(char) && char !== "\u00a0") {
      if (dropSpace) return;
      out += " ";
      dropSpace = true;
    } else {
      out += char;
      dropSpace = false;
    }
  };
  for (let i = 0; i < line.length;) {
    if (line.startsWith("<!--", i)) {
      const end = line.indexOf("-->", i + 4);
      i = end < 0 ? line.length : end + 3;
    } else if (line[i] === "<") {
      const end = line.indexOf(">", i);
      if (end < 0) {
        i = line.length;
        continue;
      }
      const body = line.slice(i + 1, end);
      const name = (/^\/?\s*([\p{L}\p{Nd}]+)/u.exec(body)?.[1] ?? "").toLowerCase();
      if (body.startsWith("/")) {
        const at = stack.findLastIndex((open) => open.name === name);
        if (at >= 0) stack.splice(at);
      } else if (name !== "" && !body.endsWith("/") && name !== "br" && name !== "img") {
        stack.push({ name, keep: /white-space\s*:\s*pre-wrap/i.test(body) });
      }
      i = end + 1;
    } else if (line[i] === "&") {
      const entity = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(line.slice(i));
      const name = entity?.[1];
      const char = name === undefined
        ? undefined
        : name.startsWith("#x") || name.startsWith("#X")
        ? String.fromCodePoint(parseInt(name.slice(2), 16))
        : name.startsWith("#")
        ? String.fromCodePoint(parseInt(name.slice(1), 10))
        : ENTITIES[name.toLowerCase()];
      if (char === undefined) {
        add("&");
        i++;
      } else {
        add(char);
        i += entity![0].length;
      }
    } else {
      add(line[i]!);
      i++;
    }
  }
  // Qt copies a non-breaking space as a space.
  return out.replace(/\u00a0/g, " ");
}
