import assert from "node:assert/strict";
import { adminRegExp } from "../../src/policy/admin_regexp.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { threadCpu } from "../_thread_cpu.ts";

// Without V8's fallback to its linear engine each of these takes minutes to hours;
// with it (thoth's tasks and binaries set the flag), milliseconds.
const HOSTILE = "a".repeat(32) + "!";

Deno.test("adminRegExp() cannot be made to backtrack for long by a client's input", () => {
  // Bounded is the CPU this thread spends, not the wall clock (which a busy machine stretches).
  const { cpuMs } = threadCpu(() => {
    assert.equal(adminRegExp("^(?:(a+)+)$").test(HOSTILE), false);
    assert.equal(adminRegExp("^(?:(a|a)*b)$").test(HOSTILE), false);
  });
  assert.ok(
    cpuMs < 5000,
    `${cpuMs.toFixed(0)} ms of CPU: run with ` +
      "--v8-flags=--enable-experimental-regexp-engine-on-excessive-backtracks (deno task test)",
  );
  assert.equal(adminRegExp("^(?:(a+)+)$").test("aaaa"), true);
});

Deno.test("adminRegExp() refuses what the linear engine cannot run, saying why", () => {
  assert.throws(() => adminRegExp("^(?:(a)\\1)$"), /backreferences are not supported/);
  assert.throws(() => adminRegExp("^(?:(?=a)a)$"), /lookahead and lookbehind/);
  assert.throws(() => adminRegExp("^(?:(?<!a)b)$"), /lookahead and lookbehind/);
  assert.throws(() => adminRegExp("^(?:\\p{L}+)$"), /Unicode property escapes/);
  assert.throws(() => adminRegExp("^(?:[a-)$"), SyntaxError);
  assert.equal(
    adminRegExp("^(?:a\\\\1)$").test("a\\1"),
    true,
    "an escaped backslash is not a backreference",
  );
});

Deno.test("a policy regex with a backreference is refused at parse time, with its place", () => {
  const text = JSON.stringify({
    version: 1,
    default: "allow",
    rules: [{ id: "r", match: { args: { path: { regex: "(a)\\1" } } }, decision: "block" }],
  });
  assert.throws(
    () => parsePolicy(text, "p.jsonc"),
    /p\.jsonc" line 1 column \d+: .*backreferences/,
  );
});

Deno.test("evaluate() stays fast on a hostile argument against a catastrophic policy regex and glob", () => {
  const policy = compilePolicy(parsePolicy(
    JSON.stringify({
      version: 1,
      default: "allow",
      rules: [
        { id: "r", match: { args: { q: { regex: "(x+x+)+y" } } }, decision: "block" },
        { id: "g", match: { args: { p: { glob: "*x*x*x*x*y" } } }, decision: "block" },
      ],
      detectors: { phi: "off", pii: "off", secrets: "off" },
    }),
    "p.jsonc",
  ));
  const { value: result, cpuMs } = threadCpu(() =>
    evaluate(policy, {
      server: "s",
      tool: "t",
      arguments: { q: "x".repeat(40), p: "x".repeat(20_000) },
      annotations: undefined,
      listed: true,
      era: "initialize",
      protocolVersion: undefined,
    }, { intent: undefined })
  );
  assert.equal(result.decision, "allow");
  // The CPU this thread spends, not the wall clock (which a busy machine stretches).
  assert.ok(cpuMs < 5000, `${cpuMs.toFixed(0)} ms of CPU`);
});
