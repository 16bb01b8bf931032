import assert from "node:assert/strict";
import { type AppError, isAppError } from "../../src/errors.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { InvalidPolicyError } from "../../src/policy/invalid_policy_error.ts";

function failure(text: string): AppError {
  try {
    parsePolicy(text, "p.jsonc");
  } catch (error) {
    if (isAppError(error, "policy.invalid")) return error;
    throw error;
  }
  throw new Error("parsePolicy() accepted the policy");
}

Deno.test("parsePolicy() reads the issue's example policy with comments and trailing commas", () => {
  const policy = parsePolicy(
    `{
      "version": 1,
      "default": "allow", // verdict when nothing matches
      "intents": { "calendar_management": { "tools": ["list_events", "create_event"] } },
      "rules": [
        { "id": "no-deletes", "match": { "tool": "*delete*" }, "decision": "step_up", "reason": "destructive" },
        { "id": "fs-outside-data", "match": { "server": "filesystem", "tool": "write_file",
            "args": { "path": { "notGlob": "/data/**" } } }, "decision": "block" },
        { "id": "destructive", "match": { "annotations": { "destructiveHint": true } }, "decision": "step_up" },
      ],
      "detectors": { "phi": "step_up", "secrets": "block", "pii": "allow" },
      "progressive": { "window": "24h", "stepUpAfter": 1, "blockAfter": 3 }
    }`,
    "policy.jsonc",
  );
  assert.equal(policy.rules?.length, 3);
  assert.deepEqual(policy.intents?.["calendar_management"]?.tools, ["list_events", "create_event"]);
});

Deno.test("parsePolicy() rejects unknown keys with line, column and key path", () => {
  const e = failure(`{
  "version": 1,
  "default": "allow",
  "rules": [
    { "id": "a", "match": { "tol": "x" }, "decision": "block" }
  ]
}`);
  assert.match(
    e.message,
    /^policy "p\.jsonc" line 5 column 29: rules\[0\]\.match\.tol: unknown key/,
  );
  assert.match(e.message, /"tool"/);
});

Deno.test("parsePolicy() names a bad enum value", () => {
  const e = failure('{ "version": 1, "default": "maybe" }');
  assert.equal(
    e.message,
    'policy "p.jsonc" line 1 column 28: default: expected "allow", "step_up" or "block"',
  );
});

Deno.test("parsePolicy() reports a missing required key", () => {
  const e = failure('{\n  "version": 1\n}');
  assert.match(e.message, /line 1 column 1: default: missing required key/);
});

Deno.test("parsePolicy() reports JSON syntax errors with line and column", () => {
  const e = failure('{\n  "version": 1\n  "default": "allow"\n}');
  assert.equal(e.message, 'policy "p.jsonc" line 3 column 3: syntax: expected ","');
});

Deno.test("parsePolicy() says a file with no value in it is empty", () => {
  for (const text of ["", "  \n\r\n", "// nothing yet\n/* none */\n", "\uFEFF"]) {
    const e = failure(text);
    assert.equal(e.message, 'policy "p.jsonc": the file is empty', JSON.stringify(text));
    assert.match(e.hints[0]!, /one JSONC object/);
  }
  // An unclosed comment is no empty file: it is said where it is.
  assert.match(failure("/* x").message, /line 1 column 1: syntax: comment is not closed/);
});

Deno.test("parsePolicy() rejects duplicate keys instead of keeping the last", () => {
  const e = failure('{ "version": 1, "default": "allow", "default": "block" }');
  assert.match(e.message, /line 1 column 37: default: duplicate key/);
});

Deno.test("parsePolicy() rejects an unsupported version", () => {
  assert.match(failure('{ "version": 2, "default": "allow" }').message, /version: expected 1/);
});

Deno.test("parsePolicy() rejects bad globs, regexes, paths and duplicate rule ids, all reported", () => {
  const e = failure(`{ "version": 1, "default": "allow", "rules": [
  { "id": "a", "match": { "tool": "[x" }, "decision": "block" },
  { "id": "a", "match": { "args": { "a..b": { "glob": "x" }, "p": { "regex": "(" }, "q": {} } },
    "decision": "block" }
] }`);
  assert.match(e.message, /line 2 column 35: rules\[0\]\.match\.tool: glob "\[x" has "\[" without/);
  const hints = e.hints.join("\n");
  assert.match(hints, /line 3 column 11: rules\[1\]\.id: duplicate rule id "a"/);
  assert.match(hints, /rules\[1\]\.match\.args\["a\.\.b"\]: invalid argument path/);
  assert.match(hints, /rules\[1\]\.match\.args\.p\.regex: invalid regex/);
  assert.match(hints, /rules\[1\]\.match\.args\.q: expected at least one predicate/);
});

Deno.test("parsePolicy() rejects dotted rule ids, which are reserved for thoth", () => {
  const e = failure(
    '{ "version": 1, "default": "allow", "rules": [{ "id": "policy.default", "match": {}, "decision": "allow" }] }',
  );
  assert.match(e.message, /rules\[0\]\.id: expected letters/);
});

Deno.test("parsePolicy() rejects an inverted progressive ladder and a bad window", () => {
  const e = failure(
    '{ "version": 1, "default": "allow", "progressive": { "window": "1y", "stepUpAfter": 3, "blockAfter": 1 } }',
  );
  assert.match(e.message, /progressive\.window: expected a duration/);
  assert.match(e.hints.join("\n"), /progressive\.blockAfter: must be at least stepUpAfter \(3\)/);
});

Deno.test("parsePolicy() reports wrong types by what was found", () => {
  const e = failure('{ "version": 1, "default": "allow", "rules": {} }');
  assert.match(e.message, /rules: expected an array, got an object/);
});

Deno.test("the default policy parses, compiles and teaches with comments", () => {
  assert.match(DEFAULT_POLICY_JSONC, /^\/\/ thoth policy/);
  const compiled = compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"));
  assert.equal(compiled.default, "allow");
  assert.deepEqual(compiled.rules.map((r) => r.id), [
    "reads",
    "destructive",
    "delete-like",
    "command-runners",
  ]);
  assert.deepEqual(compiled.detectors, { phi: "step_up", pii: "allow", secret: "block" });
});

Deno.test("parsePolicy() reports a quoted argument path with a bad escape as policy.invalid", () => {
  const e = failure(
    '{ "version": 1, "default": "allow", "rules": [{ "id": "a", "match": { "args": { "a[\\"\\\\x\\"]": { "equals": 1 } } }, "decision": "block" }] }',
  );
  assert.match(e.message, /rules\[0\]\.match\.args\["a\[\\"\\\\x\\"\]"\]: invalid argument path/);
});

Deno.test("parsePolicy() refuses a __proto__ key instead of letting it vanish", () => {
  const e = failure(
    '{ "version": 1, "default": "block", "rules": [{ "id": "a", "match": { "tool": "t", "args": { "__proto__": { "equals": 1 } } }, "decision": "allow" }] }',
  );
  assert.match(e.message, /line 1 column \d+/);
  assert.match(e.message + e.hints.join("\n"), /the key "__proto__" cannot be used in a policy/);
});

Deno.test("parsePolicy() counts lines that end in a lone \\r, as a classic Mac file's do", () => {
  const text = '{\r  "version": 1,\r  "default": "allow",\r  "rules": 5\r}';
  assert.match(failure(text).message, /^policy "p\.jsonc" line 4 column 12: rules: expected an /);
});

Deno.test("parsePolicy() says a number past the double range is beyond what a policy can use", () => {
  const e = failure(`{ "version": 1, "default": "allow", "rules": [
  { "id": "a", "match": { "args": { "n": { "max": 1e400 }, "m": { "equals": -1E+999 } } },
    "decision": "block" }
] }`);
  assert.equal(
    e.message,
    'policy "p.jsonc" line 2 column 51: rules[0].match.args.n.max: the number 1e400 is beyond ' +
      "the range a policy can use (±1.8e308)",
  );
  assert.match(e.hints[0]!, /args\.m\.equals: the number -1E\+999 is beyond the range/);
});

Deno.test("parsePolicy() shows a bad regex or glob as written, not as thoth compiles it", () => {
  const e = failure(`{ "version": 1, "default": "allow", "rules": [
  { "id": "a", "match": { "tool": "[z-a]", "args": { "p": { "regex": "(abc" },
    "q": { "notRegex": "(?i)drop" }, "r": { "glob": "[!]" } } }, "decision": "block" }
] }`);
  const all = [e.message, ...e.hints].join("\n");
  assert.match(all, /rules\[0\]\.match\.tool: glob "\[z-a\]" has a range out of order, "z-a"/);
  assert.match(all, /args\.p\.regex: invalid regex "\(abc": unclosed "\(" at character 1\n/);
  assert.match(
    all,
    /args\.q\.notRegex: invalid regex "\(\?i\)drop": invalid group; to set a flag write it on a group, as in "\(\?i:drop\)"/,
  );
  assert.match(all, /args\.r\.glob: glob "\[!\]" has an empty class "\[!\]"/);
  assert.doesNotMatch(all, /\^\(\?:|\/u\b|\/su\b|Invalid regular expression/);
  // The form the hint gives works.
  parsePolicy(
    '{ "version": 1, "default": "allow", "rules": [{ "id": "a", "match": { "args": ' +
      '{ "q": { "regex": "(?i:drop) .*" } } }, "decision": "block" }] }',
    "p.jsonc",
  );
});

Deno.test("parsePolicy() says JSONC takes // comments and double quotes after a # or a '", () => {
  for (const text of ["# policy\n{}", "{ 'version': 1 }"]) {
    const e = failure(text);
    assert.match(e.message, /syntax: unexpected character/);
    assert.match(e.hints[0]!, /comments are \/\/ … or \/\* … \*\/ \(not #\).*double quotes/);
  }
  assert.doesNotMatch(failure('{ "version": 1 "default": "allow" }').hints.join("\n"), /not #/);
});

Deno.test("parsePolicy() refuses a regex that compiles only inside thoth's anchors, naming the )", () => {
  const policy = (regex: string) =>
    '{ "version": 1, "default": "block", "rules": [{ "id": "a", "match": { "args": ' +
    `{ "q": { "regex": ${JSON.stringify(regex)} } } }, "decision": "allow" }] }`;
  // ^(?:ok)|(.*)$ would allow anything: the second half is anchored at its end only.
  for (
    const [regex, where] of [["ok)|(.*", 3], ["a)|(b", 2], ["[)](x))|(y", 7]] as const
  ) {
    const e = failure(policy(regex));
    const says = `regex: invalid regex ${
      JSON.stringify(regex)
    }: unmatched ")" at character ${where}`;
    assert.ok(e.message.endsWith(says), e.message);
  }
  // Parentheses in a class or escaped are no group; balanced ones stand.
  for (const regex of ["[)(]x", "\\)x\\(", "(a)|(b)"]) parsePolicy(policy(regex), "p.jsonc");
});

Deno.test("parsePolicy() carries every problem as data, past the ones its hints list", () => {
  const rules = Array.from({ length: 120 }, (_, i) => ({
    id: `r${i}`,
    match: {},
    decision: "maybe",
  }));
  const text = JSON.stringify({ version: 1, default: "allow", rules }, null, 1);
  let error: unknown;
  try {
    parsePolicy(text, "p.jsonc");
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof InvalidPolicyError);
  assert.equal(error.problems.length, 120);
  assert.deepEqual(error.problems.map((p) => p.key), rules.map((_, i) => `rules[${i}].decision`));
  const lines = text.split("\n");
  for (const p of error.problems) {
    // Each line and column points at the value that is wrong.
    assert.ok(lines[p.line - 1]?.slice(p.column - 1).startsWith('"maybe"'), JSON.stringify(p));
    assert.equal(p.message, 'expected "allow", "step_up" or "block"');
  }
  // The hints (what thoth run prints) list 8 of the other 119, then count the rest and say
  // where to see them all; the error keeps every one for policy check.
  assert.equal(error.hints.filter((h) => h.includes(": rules[")).length, 8);
  assert.ok(error.hints.includes('111 more problems: run "thoth policy check" to list them all'));
  assert.equal(error.hints.length, 10);
  const every = error.listingEveryProblem();
  assert.equal(every.hints.filter((h) => h.includes(": rules[")).length, 119);
  assert.ok(!every.hints.some((h) => h.includes("more problems")));
});

Deno.test("parsePolicy() says which key or value a misspelled one meant, the misspelled key first", () => {
  const e = failure(`{
  "version": 1,
  "default": "allow",
  "rules": [
    { "id": "a", "match": { "tol": "x" }, "decison": "block" },
    { "id": "b", "match": { "args": { "p": { "notglob": "/x" } } }, "decision": "stepup" },
    { "id": "c", "match": {}, "decision": "Block" }
  ]
}`) as InvalidPolicyError;
  assert.deepEqual(e.problems.map((p) => [p.key, p.message.replace(/ expected one of .*/, "")]), [
    ["rules[0].match.tol", 'unknown key, did you mean "tool"?'],
    ["rules[0].decison", 'unknown key, did you mean "decision"?'],
    ["rules[0].decision", 'missing required key, expected "allow", "step_up" or "block"'],
    ["rules[1].match.args.p.notglob", 'unknown key, did you mean "notGlob"?'],
    ["rules[1].match.args.p", "expected at least one predicate"],
    ["rules[1].decision", 'expected "allow", "step_up" or "block"; did you mean "step_up"?'],
    ["rules[2].decision", 'expected "allow", "step_up" or "block"; did you mean "block"?'],
  ]);
  // A key or value near none gets no guess.
  const far = failure('{ "version": 1, "default": "maybe", "zzzzzz": 1 }') as InvalidPolicyError;
  assert.ok(far.problems.every((p) => !p.message.includes("did you mean")));
});

Deno.test("parsePolicy() never guesses the opposite of a misspelled key or value", () => {
  const e = failure(`{
  "version": 1,
  "default": "noallow",
  "rules": [
    { "id": "a", "match": { "args": { "p": { "nglob": "/x" } } }, "decision": "unlock" },
    { "id": "b", "match": { "args": { "p": { "nregex": "x" } } }, "decision": "unblock" },
    { "id": "c", "match": {}, "decision": "nallow" }
  ]
}`) as InvalidPolicyError;
  assert.deepEqual(e.problems.map((p) => [p.key, p.message.replace(/ expected one of .*/, "")]), [
    ["default", 'expected "allow", "step_up" or "block"'],
    ["rules[0].match.args.p.nglob", 'unknown key, did you mean "notGlob"?'],
    ["rules[0].match.args.p", "expected at least one predicate"],
    ["rules[0].decision", 'expected "allow", "step_up" or "block"'],
    ["rules[1].match.args.p.nregex", 'unknown key, did you mean "notRegex"?'],
    ["rules[1].match.args.p", "expected at least one predicate"],
    ["rules[1].decision", 'expected "allow", "step_up" or "block"'],
    ["rules[2].decision", 'expected "allow", "step_up" or "block"'],
  ]);
});
