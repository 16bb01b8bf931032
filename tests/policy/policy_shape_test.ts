/**
 * The plain policy checks of `thoth run` against the schema: every policy
 * they accept, the schema accepts unchanged. A rich valid policy is mutated
 * at every path (removed, retyped, emptied, stretched, an unknown key added)
 * and each mutant is put to both.
 */
import assert from "node:assert/strict";
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { policySchema } from "../../src/policy/policy_schema.ts";
import { isValidPolicy } from "../../src/policy/policy_shape.ts";
import { readPolicy } from "../../src/policy/read_policy.ts";
import { readStrictJsonc } from "../../src/config/strict_jsonc.ts";

const RICH = {
  $schema: "https://example.invalid/policy.schema.json",
  version: 1,
  default: "allow",
  intents: {
    calendar_management: {
      tools: ["list_events", "create_*"],
      onViolation: "block",
      description: "calendar only",
    },
    "read.only": { tools: ["read_*"] },
  },
  rules: [
    {
      id: "no-deletes",
      match: { tool: "*delete*", server: ["fs", "git*"], listed: true },
      decision: "step_up",
      reason: "deleting needs a person",
      enabled: true,
    },
    {
      id: "paths",
      match: {
        annotations: { readOnlyHint: false, destructiveHint: true },
        args: {
          path: { glob: "/etc/**", notGlob: ["/etc/hosts"], prefix: ["/etc", "/var"] },
          "options.mode": { equals: "w", notEquals: null, oneOf: ["w", 1, true, null] },
          "items[*]": { regex: "[a-z]+", notRegex: "x{2}", exists: true, min: -1.5, max: 10 },
          n: { notOneOf: [0], prefix: "a" },
        },
      },
      decision: "block",
    },
  ],
  detectors: {
    phi: "step_up",
    pii: "allow",
    secrets: "block",
    risk: { stepUpAt: 40, blockAt: 80 },
  },
  progressive: { window: "24h", stepUpAfter: 1, blockAfter: 3 },
  audit: { safeToLog: ["path"] },
};

/** Replacement values tried at every path. */
const PROBES: unknown[] = [
  undefined,
  null,
  true,
  0,
  1,
  -1,
  1.5,
  101,
  1001,
  "",
  "x",
  "[",
  "*",
  "a".repeat(201),
  "24h",
  "500d",
  "allow",
  "off",
  "step_up",
  [],
  [""],
  ["x"],
  ["["],
  [1],
  {},
  { equals: 1 },
  { unknown: 1 },
];

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function replaced(root: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else {
    node[last] = value;
  }
  return copy;
}

function withKey(root: unknown, path: Path, key: string): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path) node = node[step] as Record<string | number, unknown>;
  if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
  node[key] = "extra";
  return copy;
}

function assertAgrees(candidate: unknown, label: string): boolean {
  const quick = isValidPolicy(candidate);
  const full = policySchema.safeParse(candidate);
  if (quick) {
    assert.ok(full.success, `${label}: the plain checks accepted what the schema rejects`);
    assert.deepEqual(full.data, candidate, `${label}: the schema changed the policy`);
  }
  return quick;
}

Deno.test("the plain policy checks accept the rich policy and the default policy", () => {
  assert.equal(assertAgrees(RICH, "rich"), true);
  const parsed = readStrictJsonc(DEFAULT_POLICY_JSONC);
  assert.ok(parsed, "the default policy is well-formed JSONC");
  assert.equal(assertAgrees(parsed.value, "default"), true);
});

Deno.test("no mutant of a valid policy passes the plain checks and fails the schema", () => {
  let accepted = 0;
  let rejected = 0;
  for (const path of paths(RICH)) {
    for (const probe of PROBES) {
      const mutant = replaced(RICH, path, probe);
      if (assertAgrees(mutant, `${JSON.stringify(path)} = ${JSON.stringify(probe)}`)) accepted++;
      else rejected++;
    }
    const extra = withKey(RICH, path, "surprise");
    if (extra !== undefined) {
      assert.equal(assertAgrees(extra, `${JSON.stringify(path)} + unknown key`), false);
    }
  }
  // Both answers occur, so the comparison above had something to compare.
  assert.ok(accepted > 50, `accepted ${accepted}`);
  assert.ok(rejected > 500, `rejected ${rejected}`);
});

Deno.test("the plain checks apply the schema's cross-field rules", () => {
  const cases: [string, unknown][] = [
    ["duplicate rule ids", { ...RICH, rules: [RICH.rules[0], RICH.rules[0]] }],
    ["blockAfter below stepUpAfter", {
      ...RICH,
      progressive: { window: "1h", stepUpAfter: 3, blockAfter: 2 },
    }],
    ["blockAt below stepUpAt", { ...RICH, detectors: { risk: { stepUpAt: 50, blockAt: 10 } } }],
    ["an empty predicate", {
      ...RICH,
      rules: [{ id: "r", match: { args: { p: {} } }, decision: "block" }],
    }],
    ["a bad argument path", {
      ...RICH,
      rules: [{ id: "r", match: { args: { "a..b": { exists: true } } }, decision: "block" }],
    }],
    ["an invalid regex", {
      ...RICH,
      rules: [{ id: "r", match: { args: { p: { regex: "(" } } }, decision: "block" }],
    }],
    ["a dotted rule id", { ...RICH, rules: [{ id: "thoth.x", match: {}, decision: "block" }] }],
    ["an unknown duration", {
      ...RICH,
      progressive: { window: "soon", stepUpAfter: 0, blockAfter: 0 },
    }],
    ["version 2", { ...RICH, version: 2 }],
    ["an empty negated class in a tool glob", {
      ...RICH,
      rules: [{ id: "r", match: { tool: "[!]" }, decision: "block" }],
    }],
    ["an empty negated class in an argument glob", {
      ...RICH,
      rules: [{ id: "r", match: { args: { p: { notGlob: "/x/[^]" } } }, decision: "block" }],
    }],
    ["a class range out of order in an intent", {
      ...RICH,
      intents: { i: { tools: ["[z-a]"] } },
    }],
    ["a number past the double range", {
      ...RICH,
      rules: [{ id: "r", match: { args: { p: { max: Infinity } } }, decision: "block" }],
    }],
    // Wrapped as ^(?:…)$ it would compile, each half anchored at one end only.
    ["a regex that closes a group it did not open", {
      ...RICH,
      rules: [{ id: "r", match: { args: { p: { regex: "ok)|(.*" } } }, decision: "allow" }],
    }],
    ["a notRegex that closes a group it did not open", {
      ...RICH,
      rules: [{ id: "r", match: { args: { p: { notRegex: "a)|(b" } } }, decision: "block" }],
    }],
  ];
  for (const [label, policy] of cases) {
    assert.equal(isValidPolicy(policy), false, label);
    assert.equal(policySchema.safeParse(policy).success, false, label);
  }
});

Deno.test("readPolicy gives the same policy as parsePolicy, and its errors for a bad one", async () => {
  const texts = [
    DEFAULT_POLICY_JSONC,
    JSON.stringify(RICH, null, 2),
    '{ "version": 1, "default": "block", } // trailing comma and a comment',
  ];
  for (const text of texts) {
    assert.deepEqual(await readPolicy(text, "p.jsonc"), parsePolicy(text, "p.jsonc"));
  }
  const bad = [
    '{\n  "version": 1,\n  "default": "block",\n  "defualt": "block"\n}',
    '{ "version": 1, "default": "block", "default": "allow" }',
    '{ "version": 1, "default": "block" ',
    '{ "version": 1, "default": "block", "rules": [{ "id": "a", "match": {}, "decision": "nope" }] }',
  ];
  for (const text of bad) {
    let expected = "";
    try {
      parsePolicy(text, "p.jsonc");
    } catch (error) {
      expected = (error as Error).message;
    }
    assert.match(expected, /^policy "p\.jsonc" line \d+ column \d+: /);
    await assert.rejects(() => readPolicy(text, "p.jsonc"), (error: Error) => {
      assert.equal(error.message, expected);
      return true;
    });
  }
});

Deno.test("readPolicy refuses in parsePolicy's words an empty file, a number past range, a lone-\\r file", async () => {
  const texts = [
    "",
    "// nothing yet\n",
    '{ "version": 1, "default": "allow", "rules": [{ "id": "a", "match": { "args": ' +
    '{ "n": { "max": 1e400 } } }, "decision": "block" }] }',
    '{\r "version": 1,\r "default": "allow",\r "rules": [{ "id": "a", "match": ' +
    '{ "tool": "[!]" }, "decision": "block" }]\r}',
    "# a comment\n{}",
  ];
  for (const text of texts) {
    let expected: Error | undefined;
    try {
      parsePolicy(text, "p.jsonc");
    } catch (error) {
      expected = error as Error;
    }
    assert.ok(expected !== undefined, JSON.stringify(text));
    await assert.rejects(() => readPolicy(text, "p.jsonc"), (error: Error) => {
      assert.equal(error.message, expected.message);
      return true;
    });
  }
});

Deno.test("the plain checks agree with the schema on every policy of the case fixtures", () => {
  const dir = new URL("../fixtures/policy/cases/", import.meta.url);
  let compared = 0;
  for (const entry of Deno.readDirSync(dir)) {
    if (!entry.name.endsWith(".json")) continue;
    const fixture = JSON.parse(Deno.readTextFileSync(new URL(entry.name, dir)));
    const quick = isValidPolicy(fixture.policy);
    assert.equal(quick, policySchema.safeParse(fixture.policy).success, entry.name);
    if (quick) assert.deepEqual(policySchema.parse(fixture.policy), fixture.policy, entry.name);
    compared++;
  }
  assert.ok(compared >= 20, `compared ${compared}`);
});
