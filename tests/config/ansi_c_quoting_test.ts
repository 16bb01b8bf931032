/**
 * decodeAnsiC() reads `$'…'` as bash does: checked against a real bash where
 * one is installed, and against fixed vectors everywhere. What it cannot know
 * exactly (the locale's encoding, bytes that are not UTF-8, a NUL) is said to
 * be inexact, never guessed.
 */
import assert from "node:assert/strict";
import { decodeAnsiC, UNKNOWN_PART } from "../../src/config/ansi_c_quoting.ts";
import { threadCpu } from "../_thread_cpu.ts";

/** `$'…'` bodies and what bash makes of them (all exact). */
const EXACT: [string, string][] = [
  ["thoth", "thoth"],
  ["\\x74h\\157th", "thoth"],
  ["th\\u006fth", "thoth"],
  ["\\U00000074hoth", "thoth"],
  ["\\x{74}h\\x{4f6f}th", "thoth"],
  ["a\\\\b\\'c\\\"d\\?e", "a\\b'c\"d?e"],
  ["\\a\\b\\e\\E\\f\\n\\r\\t\\v", "\x07\x08\x1b\x1b\x0c\n\r\t\x0b"],
  ["\\101\\1012\\0101", "AA2\x081"],
  ["\\x4g\\xg", "\x04g\\xg"],
  ["\\u41\\u\\U", "A\\u\\U"],
  ["\\cA\\c?\\ca\\c\\z\\c\\\\y", "\x01\x7f\x01\x1cz\x1cy"],
  ["\\q\\8\\é", "\\q\\8\\é"],
  ["\\xc3\\xa9t\\303\\251", "été"],
  ["caf\u00e9 🦉", "caf\u00e9 🦉"],
  ["\\c", "\\c"],
];

Deno.test("decodeAnsiC() decodes bash's escapes", () => {
  for (const [body, want] of EXACT) {
    const line = `$'${body}' run`;
    const found = decodeAnsiC(line, 2);
    assert.deepEqual(found, { text: want, end: line.length - 5, exact: true }, body);
  }
});

Deno.test("decodeAnsiC() agrees with a real bash", async (t) => {
  let bash: string | undefined;
  for (const each of ["/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash"]) {
    if ((await Deno.stat(each).catch(() => undefined))?.isFile === true) bash ??= each;
  }
  if (bash === undefined) {
    await t.step({ name: "no bash installed", ignore: true, fn: () => {} });
    return;
  }
  for (const [body] of EXACT) {
    const run = await new Deno.Command(bash, {
      args: ["-c", `printf %s $'${body}'`],
      env: { LC_ALL: "C.UTF-8" },
      stdout: "piped",
    }).output();
    const printed = new TextDecoder("utf-8", { fatal: true }).decode(run.stdout);
    assert.equal(decodeAnsiC(`$'${body}'`, 2).text, printed, body);
  }
});

Deno.test("decodeAnsiC() calls inexact what the shell's locale or the shell decides", () => {
  for (
    const body of [
      "th\\u00f6th", // the locale's encoding, or "\u00F6" as text in the C locale
      "\\U0001F989",
      "thoth\\0", // bash ends the string at a NUL, zsh keeps it
      "thoth\\x{}",
      "th\\xffoth", // not UTF-8
      "\\c\u00e9",
      "a\udc00b", // a lone surrogate has no UTF-8 form
    ]
  ) {
    const found = decodeAnsiC(`$'${body}'`, 2);
    assert.equal(found.exact, false, body);
    assert.ok(found.text.includes(UNKNOWN_PART), body);
  }
});

Deno.test("decodeAnsiC() ends at the first quote no backslash escapes", () => {
  assert.deepEqual(decodeAnsiC("$'a\\'b' c", 2), { text: "a'b", end: 6, exact: true });
  assert.deepEqual(decodeAnsiC("$'open", 2), { text: "open", end: 6, exact: true });
  assert.deepEqual(decodeAnsiC("$'a\\", 2), { text: "a\\", end: 4, exact: true });
});

Deno.test("decodeAnsiC() takes linear time on a long string", () => {
  const body = "\\x41".repeat(500_000) + "\\u00e9".repeat(100_000) + "\\c\\\\".repeat(100_000);
  // Bounded is the CPU this thread spends (milliseconds; minutes when each escape rescans the
  // string), not the wall clock, which a machine busy with other tests stretches.
  const { value: found, cpuMs } = threadCpu(() => decodeAnsiC(`$'${body}'`, 2));
  assert.equal(found.text.length, 500_000 + 100_000 + 100_000);
  assert.equal(found.exact, false);
  assert.ok(cpuMs < 5_000, `${cpuMs.toFixed(0)} ms of CPU`);
});
