/**
 * The interpreter a script names on its first line (`#!/usr/bin/env node`).
 * A script whose interpreter is missing fails to start with the same error
 * as a command that does not exist; reading the line lets thoth say which
 * of the two it is, and name the interpreter.
 *
 * @example
 * ```ts
 * interpreterOf(new TextEncoder().encode("#!/usr/bin/env node\n")); // "/usr/bin/env"
 * interpreterOf(new TextEncoder().encode("#!/bin/sh\r\n")); // "/bin/sh\r" (Windows line breaks)
 * readScriptInterpreter("/opt/mcp/server.sh"); // "/bin/bash", or undefined
 * readScriptStart("./server.js"); // "text": no #! line, so its interpreter must be named
 * ```
 */

/** Bytes read from the start of a file: a first line longer than this names no interpreter. */
const HEAD_BYTES = 512;

/** The interpreter path on a `#!` first line, without its arguments; undefined if none. */
export function interpreterOf(head: Uint8Array): string | undefined {
  if (head[0] !== 0x23 || head[1] !== 0x21) return undefined; // "#!"
  const newline = head.indexOf(0x0a);
  if (newline === -1 && head.length >= HEAD_BYTES) return undefined;
  const line = new TextDecoder().decode(head.subarray(2, newline === -1 ? head.length : newline));
  // As the kernel reads it: split at spaces and tabs only, so a line that ends in a
  // carriage return (a script saved with Windows line breaks) names "/bin/sh\r".
  const path = line.replace(/^[ \t]+/, "").split(/[ \t]+/)[0];
  return path === undefined || path === "" ? undefined : path;
}

/** Whether a `#!` first line ends in a carriage return (a script saved with CRLF line breaks). */
export function shebangEndsInCr(head: Uint8Array): boolean {
  if (head[0] !== 0x23 || head[1] !== 0x21) return false;
  const newline = head.indexOf(0x0a);
  return newline > 2 && head[newline - 1] === 0x0d;
}

/** The interpreter `path`'s first line names; undefined when it names none or cannot be read. */
export function readScriptInterpreter(path: string): string | undefined {
  return readShebang(path)?.interpreter;
}

/**
 * `path`'s `#!` line as the kernel will read it: the interpreter it names,
 * and whether the line ends in a carriage return (then every word of it,
 * the last argument included, carries one). Undefined when it names none or
 * cannot be read.
 */
export function readShebang(path: string): { interpreter: string; crlf: boolean } | undefined {
  const head = readHead(path);
  if (head === undefined) return undefined;
  const interpreter = interpreterOf(head);
  return interpreter === undefined ? undefined : { interpreter, crlf: shebangEndsInCr(head) };
}

/**
 * How `path` starts: with a `#!` line (`"shebang"`), as a program's binary
 * (a NUL byte in its first bytes, as an ELF or Mach-O header has), or as
 * text without a `#!` line (`"text"`, a script the system cannot run by
 * itself). Undefined when it cannot be read.
 */
export function readScriptStart(path: string): "shebang" | "binary" | "text" | undefined {
  const head = readHead(path);
  if (head === undefined) return undefined;
  if (head[0] === 0x23 && head[1] === 0x21) return "shebang";
  return head.includes(0) ? "binary" : "text";
}

function readHead(path: string): Uint8Array | undefined {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(path, { read: true });
    const head = new Uint8Array(HEAD_BYTES);
    let length = 0;
    while (length < HEAD_BYTES) {
      const read = file.readSync(head.subarray(length));
      if (read === null || read === 0) break;
      length += read;
    }
    return head.subarray(0, length);
  } catch {
    return undefined;
  } finally {
    try {
      file?.close();
    } catch {
      // Already closed.
    }
  }
}
