import assert from "node:assert/strict";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import type { PathOptions } from "../../src/policy/compile_predicate.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { explainCall } from "../../src/policy/explain_call.ts";
import { ENFORCEMENT_MODES } from "../../src/policy/enforcement_mode.ts";
import { compileOwnFiles, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const LINUX: PathOptions = { home: "/home/ana", os: "linux", bases: ["/srv/app"] };

function own(folders: readonly string[], options: PathOptions = LINUX) {
  const compiled = compileOwnFiles(folders, options);
  assert.ok(compiled !== undefined);
  return compiled;
}

Deno.test("own files: path readings that land in the profile folder reach it", () => {
  const o = own(["/home/ana/.thoth"]);
  for (
    const path of [
      "/home/ana/.thoth",
      "/home/ana/.thoth/",
      "/home/ana/.thoth/state/progressive.json",
      "~/.thoth/approvals/a.answer.json",
      "~ana/.thoth/keys/hmac.key",
      "/tmp/../home/ana/.thoth/keys",
      "//home//ana/./.thoth/audit",
      "/home/ana/%2ethoth/state/progressive.json",
      "/home/ana/%252ethoth/state",
      "%7e/.thoth/keys",
      "file:///home/ana/.thoth/keys/hmac.key",
      "file://localhost/home/ana/%2Ethoth/approvals",
      "/proc/self/root/home/ana/.thoth/state",
      "/proc/self/cwd/../../home/ana/.thoth/state",
      "../../home/ana/.thoth/state/progressive.json",
    ]
  ) {
    assert.equal(o.reaches({ path }), true, path);
  }
});

Deno.test("own files: a relative path lands in the profile folder through a base", () => {
  const options: PathOptions = { home: "/home/ana", os: "linux", bases: ["/home/ana"] };
  const o = own(["/home/ana/.thoth"], options);
  assert.equal(o.reaches({ path: ".thoth/state/progressive.json" }), true);
  assert.equal(o.reaches({ path: "docs/.thoth-notes" }), false);
  // The client's roots arrive later: a base inside the profile makes every relative path reach it.
  assert.equal(o.reaches({ path: "approvals/x.answer.json" }), false);
  options.bases = ["/home/ana", "/home/ana/.thoth"];
  assert.equal(o.reaches({ path: "approvals/x.answer.json" }), true);
});

Deno.test("own files: strings anywhere in the arguments count, keys and JSON in a string too", () => {
  const o = own(["/home/ana/.thoth"]);
  assert.equal(o.reaches({ edits: [{ a: { b: ["/home/ana/.thoth/keys"] } }] }), true);
  assert.equal(o.reaches({ files: { "/home/ana/.thoth/state/progressive.json": "{}" } }), true);
  assert.equal(o.reaches({ paths: '["\\/home\\/ana\\/\\u002ethoth\\/keys"]' }), true);
  assert.equal(o.reaches({ paths: '["/data/a.txt"]' }), false);
  let deep: unknown = "~/.thoth/state";
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(o.reaches({ deep }), true, "deep nesting is walked without recursion");
});

Deno.test("own files: the folder's path inside a command is a reach; its name in prose is not", () => {
  const o = own(["/home/ana/.thoth"]);
  for (
    const command of [
      "rm ~/.thoth/state/progressive.json",
      "cat /home/ana/.thoth/keys/hmac.key",
      "ls -la /home/ana/.thoth",
      'cp x "/home/ana/.thoth"/approvals/',
      "tar czf /tmp/x.tgz $HOME/.thoth",
      "echo {} > ${HOME}/.thoth/state/progressive.json",
      "rm -rf /home/ana/.thoth*",
    ]
  ) {
    assert.equal(o.reaches({ command }), true, command);
  }
  for (
    const text of [
      "thoth keeps its profile in .thoth under your home folder",
      "see ~/.thothrc and /home/ana/.thoth-old/notes",
      "cat /home/ana/notes.txt",
      "hello world",
    ]
  ) {
    assert.equal(o.reaches({ text }), false, text);
  }
});

Deno.test("own files: the real path is protected too", () => {
  const o = own(["/home/ana/.thoth", "/data/profiles/ana"]);
  assert.equal(o.reaches({ path: "/data/profiles/ana/keys/hmac.key" }), true);
  assert.equal(o.reaches({ command: "cat /data/profiles/ana/keys/hmac.key" }), true);
  assert.equal(o.reaches({ path: "/data/profiles/anabel/x" }), false);
});

Deno.test("own files: macOS compares without case and knows /private", () => {
  const o = own(["/Users/Ana/.thoth"], { home: "/Users/Ana", os: "darwin" });
  assert.equal(o.reaches({ path: "/users/ana/.THOTH/keys" }), true);
  assert.equal(o.reaches({ command: "rm ~/.Thoth/state/progressive.json" }), true);
  const tmp = own(["/var/folders/x/T/home"], { os: "darwin" });
  assert.equal(tmp.reaches({ path: "/private/var/folders/x/T/home/state" }), true);
});

Deno.test("own files: Windows reads \\ as / and ignores case", () => {
  const o = own(["C:\\Users\\Ana\\.thoth"], { home: "C:\\Users\\Ana", os: "windows" });
  for (
    const value of [
      "c:\\users\\ana\\.thoth\\state\\progressive.json",
      "C:/Users/Ana/.thoth/keys",
      "\\\\?\\C:\\Users\\Ana\\.thoth\\keys",
      "type %USERPROFILE%\\.thoth\\keys\\hmac.key",
      "~\\.thoth\\approvals",
      "C:\\Users\\Ana\\.thoth.\\keys",
    ]
  ) {
    assert.equal(o.reaches({ value }), true, value);
  }
  assert.equal(o.reaches({ value: "C:\\Users\\Ana\\Documents\\a.txt" }), false);
});

Deno.test("own files: glob syntax in the folder's name is matched as written", () => {
  const o = own(["/tmp/a[1]{x,y}*"], { os: "linux" });
  assert.equal(o.reaches({ path: "/tmp/a[1]{x,y}*/state" }), true);
  assert.equal(o.reaches({ path: "/tmp/a1x/state" }), false);
});

const POLICY = parsePolicy(
  JSON.stringify({
    version: 1,
    default: "allow",
    rules: [{
      id: "allow-everything",
      match: { tool: "*" },
      decision: "allow",
    }],
  }),
  "p.jsonc",
);

Deno.test("own files: evaluate blocks before the policy, which cannot allow it", () => {
  const compiled = compilePolicy(POLICY, { ...LINUX, ownFolders: ["/home/ana/.thoth"] });
  const reach = toolCall("filesystem", "write_file", {
    path: "/home/ana/.thoth/state/progressive.json",
    content: '{"version":1,"entries":{}}',
  });
  const e = evaluate(compiled, reach, { intent: undefined });
  assert.equal(e.decision, "block");
  assert.deepEqual(e.ruleIds, [OWN_FILES_RULE]);
  assert.match(e.reasons[0]!, /"\/home\/ana\/\.thoth".*never forwarded, in any mode/);
  const other = toolCall("filesystem", "write_file", { path: "/srv/app/a.txt", content: "x" });
  assert.equal(evaluate(compiled, other, { intent: undefined }).decision, "allow");
  // Compiled without the folder (no session), nothing is added.
  assert.equal(
    evaluate(compilePolicy(POLICY, LINUX), reach, { intent: undefined }).decision,
    "allow",
  );
});

Deno.test("own files: explain shows BLOCK in every mode", () => {
  const compiled = compilePolicy(POLICY, { ...LINUX, ownFolders: ["/home/ana/.thoth"] });
  const reach = toolCall("shell", "run", { command: "rm ~/.thoth/state/progressive.json" });
  for (const mode of ENFORCEMENT_MODES) {
    const x = explainCall(compiled, reach, { intent: undefined, mode });
    assert.equal(x.action.action, "block", mode);
    assert.match(x.lines[1]!, /blocked by thoth\.own_files/, mode);
    assert.match(x.lines.join("\n"), /never forwarded, in any mode/);
  }
});

Deno.test("own files: a name is compared composed (NFC), as the path rules compare it", () => {
  const o = own(["/home/ana/pr\u00fcfung"], { home: "/home/ana", os: "linux" });
  assert.equal(o.reaches({ path: "/home/ana/pru\u0308fung/keys" }), true);
  assert.equal(o.reaches({ command: "cat\n/home/ana/pru\u0308fung/keys/hmac.key" }), true);
  assert.equal(o.reaches({ path: "/home/ana/prufung/keys" }), false);
});

Deno.test("own files: a KELVIN SIGN composes to the K of a folder's name", () => {
  const o = own(["/srv/Kits"], { os: "linux" });
  assert.equal(o.reaches({ path: "/srv/\u212Aits/state" }), true);
  assert.equal(o.reaches({ command: "rm -rf /srv/\u212Aits" }), true);
  assert.equal(o.reaches({ path: "/srv/kits/state" }), false, "Linux keeps case");
});
