// thoth's own files and the clients' configs against spellings a review found
// passing: a Windows short name of the profile (`THOTH~1`), `ſ` and `ı`
// where files are compared without case, a relative path in a call that
// names the folder it runs in (`cwd`, `directory`…), and bash's `$'…'` and
// `$"…"` quoting. The cases of the short names, the working folders and
// bash's quoting are those `_own_files_cases.ts` states, a later review's
// with them.
import assert from "node:assert/strict";
import { CLIENT_CONFIG_RULE, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { MAX_WORKING_FOLDERS } from "../../src/policy/own_files_reached_relative.ts";
import { LINUX, MAC, type Session, WINDOWS } from "./_own_files_policies.ts";
import {
  assertCases,
  DOLLAR_QUOTE_CASES,
  rule as ruleOf,
  SHORT_NAME_CASES,
  WORKING_FOLDER_CASES,
} from "./_own_files_cases.ts";

function rule(policy: Session, args: Record<string, unknown>, tool = "move_file"): string {
  return ruleOf(policy, args, tool);
}

Deno.test("a Windows short name of the 8.3 shape of a protected segment is read as possibly it", () => {
  assertCases(SHORT_NAME_CASES);
});

Deno.test("ſ and ı are read as s and i where files are compared without case", () => {
  for (
    const path of [
      "C:\\Uſers\\u\\.thoth\\keys\\x",
      "C:\\UſERſ\\u\\.thoth",
      "c:/uſers/U/.THOTH/state",
    ]
  ) {
    assert.equal(rule(WINDOWS, { path }), OWN_FILES_RULE, path);
  }
  assert.equal(rule(WINDOWS, { command: "type C:\\Uſers\\u\\.thoth\\keys\\x" }), OWN_FILES_RULE);
  for (
    const path of [
      "C:\\Uſers\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json",
      "C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_deſktop_config.json",
      "C:\\Users\\u\\AppData\\Roamıng\\Claude\\claude_desktop_config.json",
    ]
  ) {
    assert.equal(rule(WINDOWS, { path }), CLIENT_CONFIG_RULE, path);
  }
  assert.equal(rule(MAC, { path: "/Uſers/u/.thoth/keys" }), OWN_FILES_RULE);
  assert.equal(
    rule(MAC, { path: "/Uſers/u/Library/Application Support/Claude/claude_desktop_config.json" }),
    CLIENT_CONFIG_RULE,
  );
  // Linux compares with case: `ſ` is another name.
  assert.equal(rule(LINUX, { path: "/home/u/.thoth/keyſ" }), OWN_FILES_RULE);
  assert.equal(rule(LINUX, { path: "/home/uſ/.thoth/keys" }), "policy.default");
  assert.equal(
    rule(LINUX, { path: "/home/u/.config/Claude/claude_deſktop_config.json" }),
    "policy.default",
  );
});

Deno.test("a relative path is resolved against a working folder the same call names", () => {
  assertCases(WORKING_FOLDER_CASES);
  // More distinct working folders than a call needs: each word would be resolved in each.
  const many = Object.fromEntries(
    Array.from({ length: MAX_WORKING_FOLDERS + 1 }, (_, i) => [`o${i}`, { cwd: `/srv/${i}` }]),
  );
  assert.equal(rule(LINUX, { ...many, command: "cat .thoth/keys/x" }, "shell"), OWN_FILES_RULE);
  const few = Object.fromEntries(
    Array.from({ length: MAX_WORKING_FOLDERS }, (_, i) => [`o${i}`, { cwd: `/srv/${i % 2}` }]),
  );
  assert.equal(rule(LINUX, { ...few, command: "cat .thoth/keys/x" }, "shell"), "policy.default");
});

Deno.test("bash's $'…' and $\"…\" quoting is read as bash reads the word", () => {
  assertCases(DOLLAR_QUOTE_CASES);
});
