/**
 * Text-level helpers for edits that a later edit can undo byte for byte.
 * Private to `config/`.
 *
 * jsonc-parser's `modify` is used for replacing one value; for insertions and
 * removals thoth builds the edits here instead, because `modify` either emits
 * compact JSON or reformats the touched lines, and neither can be reversed
 * exactly. Every insertion here has a matching removal that takes back exactly
 * the text it added.
 *
 * @example
 * ```ts
 * import { parseTree } from "jsonc-parser";
 * const text = '["-y", "pkg"]';
 * const array = parseTree(text)!;
 * prependChildren(text, array, ['"run"']); // [{ offset: 1, length: 0, content: '"run", ' }]
 * ```
 */
import type { Edit, Node } from "jsonc-parser";

/** The offset just past a node. */
export function nodeEnd(node: Node): number {
  return node.offset + node.length;
}

/** The line ending the file uses (the first one found), `\n` by default. */
export function eolOf(text: string): string {
  const at = text.indexOf("\n");
  return at > 0 && text[at - 1] === "\r" ? "\r\n" : "\n";
}

/** The blanks between the start of the line and `offset`, or undefined when other text precedes it. */
export function indentBefore(text: string, offset: number): string | undefined {
  let start = offset;
  while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
  if (start === 0 || text[start - 1] === "\n") return text.slice(start, offset);
  return undefined;
}

/** The blanks that open the line holding `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== "\n") start--;
  let end = start;
  while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
  return text.slice(start, end);
}

/**
 * The text that separates two children of a container as the user wrote it:
 * the gap between the first two children when it is only a comma and blanks,
 * else a comma plus the first child's line break and indent, else `", "`.
 */
export function childSeparator(text: string, container: Node): string {
  const kids = container.children ?? [];
  const [first, second] = kids;
  if (first !== undefined && second !== undefined) {
    const gap = text.slice(nodeEnd(first), second.offset);
    if (/^[ \t]*,\s*$/.test(gap)) return gap;
  }
  if (first !== undefined) {
    const indent = indentBefore(text, first.offset);
    if (indent !== undefined) return "," + eolOf(text) + indent;
  }
  return ", ";
}

/** Whether a container lays its children out one per line. */
export function isMultiline(text: string, container: Node): boolean {
  const first = container.children?.[0];
  if (first === undefined) return false;
  return indentBefore(text, first.offset) !== undefined;
}

/** Inserts items before the first child; undone by removing up to the old first child. */
export function prependChildren(text: string, container: Node, items: readonly string[]): Edit[] {
  const first = container.children?.[0];
  if (items.length === 0) return [];
  if (first === undefined) {
    return [{ offset: container.offset + 1, length: 0, content: items.join(", ") }];
  }
  const sep = childSeparator(text, container);
  return [{ offset: first.offset, length: 0, content: items.map((item) => item + sep).join("") }];
}

/**
 * Removes the children at the given indices with their separators, run by
 * run: a run after a kept child takes the separator before it, a leading run
 * the separator after it, so that children added by
 * {@linkcode prependChildren} or after a kept child come out exactly.
 */
export function removeChildren(container: Node, indices: ReadonlySet<number>): Edit[] {
  const kids = container.children ?? [];
  const edits: Edit[] = [];
  let index = 0;
  while (index < kids.length) {
    if (!indices.has(index)) {
      index++;
      continue;
    }
    let last = index;
    while (last + 1 < kids.length && indices.has(last + 1)) last++;
    const previous = kids[index - 1];
    const next = kids[last + 1];
    const lastNode = kids[last]!;
    if (previous !== undefined) {
      edits.push(span(nodeEnd(previous), nodeEnd(lastNode)));
    } else if (next !== undefined) {
      edits.push(span(kids[index]!.offset, next.offset));
    } else {
      edits.push(span(kids[index]!.offset, nodeEnd(lastNode)));
    }
    index = last + 1;
  }
  return edits;
}

/** An edit that deletes `[from, to)`. */
export function span(from: number, to: number, content = ""): Edit {
  return { offset: from, length: to - from, content };
}

/** Renders a property whose value is a new array or object, in the layout of its siblings. */
export function renderContainerProperty(
  text: string,
  owner: Node,
  key: string,
  open: "[" | "{",
  items: readonly string[],
): string {
  const close = open === "[" ? "]" : "}";
  const head = `${JSON.stringify(key)}: ${open}`;
  if (!isMultiline(text, owner)) return `${head}${items.join(", ")}${close}`;
  const first = owner.children![0]!;
  const propIndent = indentBefore(text, first.offset) ?? "";
  const ownerIndent = lineIndentAt(text, owner.offset);
  const unit = propIndent.startsWith(ownerIndent) && propIndent.length > ownerIndent.length
    ? propIndent.slice(ownerIndent.length)
    : "  ";
  const eol = eolOf(text);
  const inner = items.map((item) => eol + propIndent + unit + item).join(",");
  return `${head}${inner}${eol}${propIndent}${close}`;
}
