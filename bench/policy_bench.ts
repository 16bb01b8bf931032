/**
 * `deno bench bench/policy_bench.ts`: one tool call against a 200-rule policy
 * with every detector family on. Target (issue 3): p50 under 20 µs. `deno
 * bench` prints avg, p75 and p99; p75 under the target bounds p50 too.
 */
import { LocalEnforcer } from "../src/enforcer/local_enforcer.ts";
import { compilePolicy } from "../src/policy/compile_policy.ts";
import { evaluate } from "../src/policy/evaluate.ts";
import { parsePolicy } from "../src/policy/parse_policy.ts";
import type { ToolCall } from "../src/policy/tool_call.ts";
import { scanArguments } from "../src/policy/detectors/scan_arguments.ts";
import { protectedClientConfigs } from "../src/config/protected_client_configs.ts";

const rules: unknown[] = [];
for (let i = 0; i < 200; i++) {
  switch (i % 5) {
    case 0:
      rules.push({ id: `tool-${i}`, match: { tool: `*tool${i}_*` }, decision: "step_up" });
      break;
    case 1:
      rules.push({
        id: `server-${i}`,
        match: { server: `server-${i}`, tool: ["write_*", "delete_*"] },
        decision: "block",
      });
      break;
    case 2:
      rules.push({
        id: `path-${i}`,
        match: { tool: "write_file", args: { path: { glob: `/restricted${i}/**` } } },
        decision: "block",
      });
      break;
    case 3:
      rules.push({
        id: `ann-${i}`,
        match: { server: `s${i}-*`, annotations: { destructiveHint: true } },
        decision: "step_up",
      });
      break;
    default:
      rules.push({
        id: `arg-${i}`,
        match: { tool: `{read,list}_thing${i}`, args: { "options.limit": { max: i } } },
        decision: "allow",
      });
  }
}
rules.push({
  id: "fs-outside-data",
  match: { server: "filesystem", tool: "write_file", args: { path: { notGlob: "/data/**" } } },
  decision: "block",
});
const text = JSON.stringify({
  version: 1,
  default: "allow",
  intents: { files: { tools: ["read_*", "write_file", "list_*"] } },
  rules,
  detectors: {
    phi: "step_up",
    pii: "allow",
    secrets: "block",
    risk: { stepUpAt: 50, blockAt: 90 },
  },
});
/**
 * As `thoth run` compiles it: thoth's own profile folder and the MCP clients'
 * config files are protected in every session.
 */
const session = {
  home: "/home/ana",
  os: Deno.build.os,
  ownFolders: ["/home/ana/.thoth"],
  clientConfigs: protectedClientConfigs({ os: Deno.build.os, env: { HOME: "/home/ana" } }),
};
const policy = compilePolicy(parsePolicy(text, "bench.jsonc"), session);

const call: ToolCall = {
  server: "filesystem",
  tool: "write_file",
  arguments: {
    path: "/data/reports/2026/q1-summary.md",
    content: "# Q1 summary\n\nRevenue grew 12% quarter over quarter. Action items: follow up " +
      "with the vendor about invoice 100245, schedule the design review for 2026-04-02, " +
      "and archive last year's drafts.",
    options: { overwrite: true, encoding: "utf-8" },
  },
  annotations: { destructiveHint: false, readOnlyHint: false },
  listed: true,
  era: "initialize",
  protocolVersion: "2025-06-18",
};

/** Text without a digit, as most arguments are: the detectors that need one are skipped. */
const plainCall: ToolCall = {
  ...call,
  tool: "list_files",
  arguments: {
    query: "onboarding checklist for new hires in the clinical operations team",
    scope: "shared drive",
  },
};

/** The same policy as `thoth run` compiles it, and a relative path each base resolves. */
const withBases = compilePolicy(parsePolicy(text, "bench.jsonc"), {
  ...session,
  bases: ["/home/ana/projects/app", "/data", "/srv/shared"],
});
const relativeCall: ToolCall = {
  ...call,
  arguments: { ...call.arguments, path: "reports/2026/q1-summary.md" },
};

const enforcer = new LocalEnforcer({ policy, mode: "block", intent: "files", userId: "bench" });
let id = 0;
const ids = () => `d-${++id}`;

/**
 * Not a result: in `deno bench` the file's first benchmark is measured while
 * V8 is still optimizing (the same `evaluate()` measured first ran about
 * 4 µs slower than measured again right after it). The relay evaluates every
 * call in one long-lived process, so the benchmarks below measure the steady
 * state, after this one.
 */
Deno.bench("warm-up, not a result: the same evaluate() as below", () => {
  evaluate(policy, call, { intent: "files" });
});

Deno.bench(
  "evaluate(): 201 rules, detectors on, 260-char call",
  { baseline: true },
  () => {
    evaluate(policy, call, { intent: "files" });
  },
);

Deno.bench("evaluate(): same, rule-candidate memo cleared every call", () => {
  policy.candidates.clear();
  evaluate(policy, call, { intent: "files" });
});

Deno.bench("evaluate(): same policy, a call whose text has no digit", () => {
  evaluate(policy, plainCall, { intent: "files" });
});

Deno.bench("evaluate(): same, three path bases, the path relative", () => {
  evaluate(withBases, relativeCall, { intent: "files" });
});

Deno.bench("LocalEnforcer.decide(): block mode, same call", () => {
  enforcer.decide(call, ids);
});

Deno.bench("parsePolicy() + compilePolicy(): the 201-rule policy", () => {
  compilePolicy(parsePolicy(text, "bench.jsonc"));
});

// Adversarial text for the detectors' decoded readings: a megabyte of nested
// percent escapes, and one of base64, scanned with every detector family on.
const MiB = 1024 * 1024;
const scanKinds = new Set(["secret", "pii", "phi"] as const);
const prose = "lorem ipsum dolor sit amet, ".repeat(MiB / 28);
const nested = "%252541 ".repeat(MiB / 8);
const base64 = btoa(prose.slice(0, (MiB * 3) / 4));
Deno.bench("scanArguments(): 1 MiB of prose (the yardstick)", { group: "decoded" }, () => {
  scanArguments({ content: prose }, { kinds: scanKinds });
});
Deno.bench("scanArguments(): 1 MiB of triple-encoded percent escapes", { group: "decoded" }, () => {
  scanArguments({ content: nested }, { kinds: scanKinds });
});
const hashes = Array.from({ length: MiB / 65 }, (_, i) => i.toString(16).padStart(64, "f")).join(
  " ",
);
Deno.bench("scanArguments(): 1 MiB of hex hashes (base64's alphabet)", { group: "decoded" }, () => {
  scanArguments({ content: hashes }, { kinds: scanKinds });
});
Deno.bench("scanArguments(): 1 MiB of base64", { group: "decoded" }, () => {
  scanArguments({ content: base64 }, { kinds: scanKinds });
});

// Adversarial paths for the path readings: a megabyte of nested percent escapes
// (each level decoded, then read as a path), a `~user` home before a megabyte of
// segments, and on Windows a volume device path (read on every drive letter).
const nestedPath = {
  ...call,
  arguments: { ...call.arguments, path: "/data/" + "%252e%252e%252f".repeat(MiB / 15) },
};
const tildePath = {
  ...call,
  arguments: { ...call.arguments, path: "~alice/" + "a/%2e%2e/".repeat(MiB / 9) },
};
const windowsPolicy = compilePolicy(parsePolicy(text, "bench.jsonc"), {
  os: "windows",
  home: "C:\\Users\\ana",
  ownFolders: ["C:\\Users\\ana\\.thoth"],
  clientConfigs: protectedClientConfigs({ os: "windows", env: { USERPROFILE: "C:\\Users\\ana" } }),
});
/** A megabyte of file content: every string is checked for thoth's own folder. */
const bigWrite = { ...call, arguments: { ...call.arguments, content: prose } };
const devicePath = {
  ...call,
  arguments: {
    ...call.arguments,
    path: "\\\\?\\GLOBALROOT\\Device\\HarddiskVolume3\\" + "data\\".repeat(30000 / 5),
  },
};
Deno.bench("evaluate(): 1 MiB path of nested percent escapes", { group: "paths" }, () => {
  evaluate(policy, nestedPath, { intent: "files" });
});
Deno.bench("evaluate(): ~user and 1 MiB of encoded dot segments", { group: "paths" }, () => {
  evaluate(policy, tildePath, { intent: "files" });
});
Deno.bench("evaluate(): write_file with 1 MiB of prose content", { group: "paths" }, () => {
  evaluate(policy, bigWrite, { intent: "files" });
});
/** A megabyte of short strings that name the profile folder's last name (each one is looked at). */
const shortNames = {
  ...call,
  arguments: {
    ...call.arguments,
    lines: Array.from({ length: MiB / 16 }, (_, i) => `${i % 10} see .thoth/x`.padEnd(16, " ")),
  },
};
/** A megabyte of quoted prose: its strings are read without their quotes too. */
const quotedText = `say "it's" 'fine' a/b \\ `.repeat(MiB / 28);
let quotedRound = 0;
Deno.bench("evaluate(): 1 MiB of short strings holding .thoth", { group: "paths" }, () => {
  evaluate(policy, shortNames, { intent: "files" });
});
Deno.bench("evaluate(): 1 MiB of quoted prose content", { group: "paths" }, () => {
  // A new value each round: nothing is kept from the round before.
  const content = quotedText + String(++quotedRound);
  evaluate(policy, { ...call, arguments: { ...call.arguments, content } }, { intent: "files" });
});
/**
 * The project configs' worst cases: strings a client's project config name ends, each read as
 * a path against the server's folders (three here), and prose that mentions JSON, which is not.
 */
const jsonNames = {
  ...call,
  arguments: {
    ...call.arguments,
    files: Array.from({ length: MiB / 16 }, (_, i) => `src/${i}/mcp.json`),
  },
};
const jsonPath = {
  ...call,
  arguments: { ...call.arguments, path: "a/b.mcp.json/".repeat(MiB / 13) },
};
const jsonProse = {
  ...call,
  arguments: { ...call.arguments, content: "use json here ".repeat(MiB / 14) },
};
Deno.bench("evaluate(): 64k paths ending in mcp.json, three path bases", { group: "paths" }, () => {
  evaluate(withBases, jsonNames, { intent: "files" });
});
Deno.bench(
  "evaluate(): 1 MiB path of mcp.json segments, three path bases",
  { group: "paths" },
  () => {
    evaluate(withBases, jsonPath, { intent: "files" });
  },
);
const dotSegments = {
  ...call,
  arguments: { ...call.arguments, content: "x" + "/.".repeat(MiB / 2) },
};
Deno.bench("evaluate(): 1 MiB of . segments", { group: "paths" }, () => {
  evaluate(policy, dotSegments, { intent: "files" });
});
Deno.bench("evaluate(): 1 MiB of prose naming json, three path bases", { group: "paths" }, () => {
  evaluate(withBases, jsonProse, { intent: "files" });
});
Deno.bench("evaluate(): Windows volume device path, 30 000 chars", { group: "paths" }, () => {
  evaluate(windowsPolicy, devicePath, { intent: "files" });
});

// 21 rules over `files[*]` on Windows and 32 volume device paths of 32 KB: each
// path is read once (on any drive) for every rule, not once per rule on 26 drives.
const volumeRules: unknown[] = [];
for (let i = 0; i < 20; i++) {
  volumeRules.push({
    id: `v${i}`,
    match: { args: { "files[*]": { glob: `C:/restricted${i}/**` } } },
    decision: "block",
  });
}
volumeRules.push({
  id: "v-outside",
  match: { args: { "files[*]": { notGlob: "C:/data/**" } } },
  decision: "block",
});
const volumePolicy = compilePolicy(
  parsePolicy(JSON.stringify({ version: 1, default: "allow", rules: volumeRules }), "v.jsonc"),
  { os: "windows", home: "C:\\Users\\ana" },
);
let volumeRound = 0;
Deno.bench(
  "evaluate(): 21 files[*] rules, 32 Windows volume paths of 32 KB",
  { group: "paths" },
  () => {
    // New paths each round: nothing is kept from the round before.
    const round = ++volumeRound;
    const files = Array.from(
      { length: 32 },
      (_, i) => `\\\\?\\Volume{0123}\\${round}-${i}` + "\\a".repeat(16000),
    );
    evaluate(volumePolicy, { ...call, arguments: { files } }, {});
  },
);

// thoth's own files on every call, on Windows (names compared without case: `user`, `code`
// are in many paths and much code) with 64 server folders: a name inside a path or a line of
// code is no reason to read the string against every folder.
const windowsBases = compilePolicy(parsePolicy(text, "bench.jsonc"), {
  os: "windows",
  home: "C:\\Users\\ana",
  ownFolders: ["C:\\Users\\ana\\.thoth"],
  clientConfigs: protectedClientConfigs({ os: "windows", env: { USERPROFILE: "C:\\Users\\ana" } }),
  bases: Array.from({ length: 64 }, (_, i) => `C:\\Users\\ana\\proj${i}`),
});
const userPaths = {
  ...call,
  tool: "git_add",
  arguments: { files: Array.from({ length: 2000 }, (_, i) => `src/user/f${i}.ts`) },
};
const userCode = {
  ...call,
  arguments: { ...call.arguments, content: "import { User } from './models/user';\n".repeat(5000) },
};
Deno.bench(
  "evaluate(): Windows, 64 bases, git_add of 2000 src/user paths",
  { group: "own" },
  () => {
    evaluate(windowsBases, userPaths, { intent: "files" });
  },
);
Deno.bench("evaluate(): Windows, 64 bases, 200 KB of code naming User", { group: "own" }, () => {
  evaluate(windowsBases, userCode, { intent: "files" });
});
