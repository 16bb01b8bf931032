import assert from "node:assert/strict";
import { protectedClientConfigs } from "../../src/config/protected_client_configs.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import type { PathOptions } from "../../src/policy/compile_predicate.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import {
  CLIENT_CONFIG_RULE,
  compileOwnFiles,
  firstReached,
  OWN_FILES_RULE,
} from "../../src/policy/own_files.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { toolCall } from "./_call.ts";

const HOME = "/home/ana";
const CONFIGS = protectedClientConfigs({ os: "linux", env: { HOME } });

function both(options: PathOptions) {
  const profile = compileOwnFiles([`${HOME}/.thoth`], options);
  const configs = compileOwnFiles(CONFIGS, options, "client_config");
  assert.ok(profile !== undefined && configs !== undefined);
  return { profile, configs };
}

Deno.test("one walk: the profile's protection wins wherever its string is", () => {
  const { profile, configs } = both({ home: HOME, os: "linux", bases: [] });
  // The walk reads the last value first: the config's string is met before the profile's.
  for (
    const args of [
      { a: "~/.thoth/state/progressive.json", b: "~/.cursor/mcp.json" },
      { a: "~/.cursor/mcp.json", b: "~/.thoth/state/progressive.json" },
      { list: ["~/.thoth/keys", { deep: "~/.claude.json" }] },
      { "~/.cursor/mcp.json": { "~/.thoth/keys/hmac.key": 1 } },
    ]
  ) {
    assert.equal(firstReached([profile, configs], args)?.kind, profile.kind, JSON.stringify(args));
    assert.equal(firstReached([configs, profile], args)?.kind, configs.kind, JSON.stringify(args));
  }
  // The profile's path only in the JSON the string holds, the config's in the string itself.
  const held = '{"a": "\\u007e/.thoth/keys/hmac.key", "b": "~/.cursor/mcp.json"}';
  assert.equal(firstReached([profile, configs], { x: held })?.kind, profile.kind);
  assert.equal(firstReached([profile, configs], { a: "~/.cursor/mcp.json" })?.kind, configs.kind);
  assert.equal(firstReached([profile, undefined, configs], { a: "/data/x" }), undefined);
  assert.equal(firstReached([undefined], { a: "~/.thoth" }), undefined);
});

Deno.test("one walk: JSON a string holds is read for every protection", () => {
  const { profile, configs } = both({ home: HOME, os: "linux", bases: [] });
  // Parsed once for both; each protection reads every string it holds.
  const held = ` ${JSON.stringify({ note: ".cursor", path: "/home/ana/%2ethoth/keys" })}`;
  assert.equal(firstReached([profile, configs], { held })?.kind, profile.kind);
  const cursor = JSON.stringify({ note: "x", to: "/home/ana/.cursor" });
  assert.equal(firstReached([profile, configs], { cursor })?.kind, configs.kind);
  assert.equal(firstReached([profile, configs], { plain: '{"a": "/data/x"}' }), undefined);
});

Deno.test("one walk: the answers kept for keys follow the server's folders", () => {
  const options: PathOptions = { home: HOME, os: "linux", bases: ["/srv/app"] };
  const { profile, configs } = both(options);
  const args = { "mcp.json": "x", "approvals": "y" };
  for (let i = 0; i < 2; i++) assert.equal(firstReached([profile, configs], args), undefined);
  // The client's roots arrive: the same keys now name protected files.
  options.bases = ["/home/ana/.cursor"];
  assert.equal(firstReached([profile, configs], args)?.kind, configs.kind);
  options.bases = ["/srv/app", "/home/ana/.thoth"];
  assert.equal(firstReached([profile, configs], args)?.kind, profile.kind);
  options.bases = ["/srv/app"];
  assert.equal(firstReached([profile, configs], args), undefined);
  // A grown list (same array, one more folder) is seen too.
  const bases = ["/srv/app"];
  options.bases = bases;
  assert.equal(firstReached([profile, configs], args), undefined);
  bases.push("/home/ana/.thoth");
  assert.equal(firstReached([profile, configs], args)?.kind, profile.kind);
});

Deno.test("one walk: many keys are answered as before once the kept answers are forgotten", () => {
  const { profile, configs } = both({ home: HOME, os: "linux", bases: [] });
  const args: Record<string, number> = {};
  for (let i = 0; i < 600; i++) args[`key-${i}`] = i;
  assert.equal(firstReached([profile, configs], args), undefined);
  args["~/.thoth/keys"] = 1;
  assert.equal(firstReached([profile, configs], args)?.kind, profile.kind);
  // A long key is never kept, and still read.
  const long = `${"a".repeat(80)} ~/.claude/settings.json`;
  for (let i = 0; i < 2; i++) {
    assert.equal(firstReached([profile, configs], { [long]: 1 })?.kind, configs.kind);
  }
});

Deno.test("one walk: a percent escape is found after a lone % and at a string's end", () => {
  const { profile } = both({ home: HOME, os: "linux", bases: [] });
  assert.equal(profile.reaches({ p: "/home/ana/50%/../%2ethoth/keys" }), true);
  assert.equal(profile.reaches({ p: "/home/ana/%zz/../%2ethoth" }), true);
  assert.equal(profile.reaches({ p: "/home/ana/%2Ethoth" }), true);
  assert.equal(profile.reaches({ p: "/home/ana/%zethoth" }), false);
  assert.equal(profile.reaches({ p: "/home/ana/x%" }), false);
  assert.equal(profile.reaches({ p: "/home/ana/x%2" }), false);
});

Deno.test("one walk: evaluate names the profile's rule when a call reaches both", () => {
  const policy = compilePolicy(parsePolicy('{ "version": 1, "default": "allow" }', "p.jsonc"), {
    home: HOME,
    os: "linux",
    ownFolders: [`${HOME}/.thoth`],
    clientConfigs: CONFIGS,
  });
  const call = (args: Record<string, unknown>) =>
    evaluate(policy, toolCall("filesystem", "move_file", args), {});
  assert.deepEqual(
    call({ source: "~/.thoth/keys", destination: "~/.cursor/mcp.json" }).ruleIds,
    [OWN_FILES_RULE],
  );
  assert.deepEqual(
    call({ source: "~/.cursor/mcp.json", destination: "~/.thoth/keys" }).ruleIds,
    [OWN_FILES_RULE],
  );
  assert.deepEqual(call({ source: "~/.cursor/mcp.json", destination: "/tmp/x" }).ruleIds, [
    CLIENT_CONFIG_RULE,
  ]);
  assert.equal(call({ source: "/data/a", destination: "/data/b" }).decision, "allow");
});
