// thoth's own files and the clients' configs against what a second review of
// the working-folder reading, the Windows short names and bash's `$'…'`
// found: paths with a space, ordinary words read as folders, the work a call
// may ask for, and `ADMıN$`. The more keys and shapes of a working folder,
// the short names' 8.3 shape and `$'…'` decoded before case is folded it
// found are cases of `_own_files_cases.ts`.
import assert from "node:assert/strict";
import { CLIENT_CONFIG_RULE, OWN_FILES_RULE } from "../../src/policy/own_files.ts";
import { MAX_WORKING_FOLDERS } from "../../src/policy/own_files_reached_relative.ts";
import type { RelativeBudget } from "../../src/policy/own_files_working_folders.ts";
import {
  ALLOWED,
  judge as judgeCall,
  LINUX,
  MAC,
  ownFilesSession as session,
  type Session,
  WINDOWS,
} from "./_own_files_policies.ts";
import { rule } from "./_own_files_cases.ts";
import { blocks } from "./_path_predicate.ts";

function judge(policy: Session, args: Record<string, unknown>, tool = "shell") {
  return judgeCall(policy, args, tool);
}

Deno.test("a relative path with a space is read whole, and as a shell splits a command", () => {
  const config = "Library/Application Support/Claude/claude_desktop_config.json";
  for (
    const args of [
      { cwd: "/Users/u", path: config },
      { cwd: "/Users/u", path: `  ${config}\n` },
      { cwd: "/Users/u", argv: ["cat", config] },
      { cwd: "/Users/u", command: `cat "${config}"` },
      { cwd: "/Users/u", command: `cat '${config}' | wc -c` },
      { cwd: "/Users/u", command: `cp ${config.replace(" ", "\\ ")} /tmp/x` },
      { cwd: "/Users/u", command: `cat Library/"Application Support"/Claude/${config.slice(-26)}` },
      { cwd: "/Users/u", command: `cp --from="${config}" /tmp/x` },
    ]
  ) {
    assert.equal(rule(MAC, args), CLIENT_CONFIG_RULE, JSON.stringify(args));
  }
  // A profile below a folder with a space in its name.
  const spaced = session("linux", { HOME: "/home/u" }, { ownFolders: ["/home/u/my files/.thoth"] });
  for (
    const args of [
      { cwd: "/home/u", path: "my files/.thoth/keys/x" },
      { cwd: "/home/u", command: 'cat "my files/.thoth/keys/x"' },
      { cwd: "/home/u", command: "cat my\\ files/.thoth/keys/x" },
    ]
  ) {
    assert.equal(rule(spaced, args), OWN_FILES_RULE, JSON.stringify(args));
  }
  // The same words quoted otherwise are another path, as the shell reads them.
  assert.equal(rule(spaced, { cwd: "/home/u", command: "cat my files/.thoth/keys/x" }), ALLOWED);
  // A quoted word with white space may be a command a shell runs again (`sh -c "…"`): its
  // words are read too, so this one is blocked though `cat` reads it as one path.
  assert.equal(rule(LINUX, { cwd: "/home/u", command: 'cat "x .thoth/keys"' }), OWN_FILES_RULE);
});

Deno.test("an ordinary word is no folder holding a config, as in an absolute command", () => {
  for (
    const [policy, args] of [
      [MAC, { cwd: "/Users/u", content: "Our library of tools" }],
      [MAC, { workdir: "/Users/u", command: "pip install library" }],
      [MAC, { cwd: "/Users/u", command: "git commit -m 'Update Library docs'" }],
      [MAC, { directory: "/Users/u", text: "The Library opens at 9" }],
      [MAC, { cwd: "/Users/u", command: "du -sh Library" }],
      [WINDOWS, { cwd: "C:\\Users\\u", content: "clean appdata please" }],
      [WINDOWS, { cwd: "C:\\Users\\u", command: "dir AppData" }],
      [LINUX, { cwd: "/home/u", command: "du -sh .cache .config .local" }],
      [LINUX, { cwd: "/home/u", command: "ls .config/" }],
      [LINUX, { cwd: "/home/u", text: "settings live in .cursor" }],
    ] as const
  ) {
    assert.equal(rule(policy, args), ALLOWED, JSON.stringify(args));
  }
  // As the absolute command is.
  assert.equal(rule(LINUX, { command: "du -sh /home/u/.cache /home/u/.config" }), ALLOWED);
  // A path argument that is such a folder, whole, still names it; a word naming the protected
  // file or folder itself still reaches it.
  assert.equal(rule(MAC, { cwd: "/Users/u", path: "Library" }), CLIENT_CONFIG_RULE);
  assert.equal(rule(LINUX, { cwd: "/home/u", path: ".config" }), CLIENT_CONFIG_RULE);
  assert.equal(
    rule(LINUX, { cwd: "/home/u", argv: ["mv", ".cursor", "/tmp"] }),
    CLIENT_CONFIG_RULE,
  );
  assert.equal(rule(LINUX, { cwd: "/home/u", command: "rm -rf .thoth" }), OWN_FILES_RULE);
  assert.equal(rule(LINUX, { cwd: "/home/u", command: "cat .claude.json" }), CLIENT_CONFIG_RULE);
});

Deno.test("the work a call's working folders ask for is bounded, and fails closed past it", () => {
  // Short names of no protected segment are resolved nowhere: not one resolution is spent on
  // them, in any working folder (the call's budget counts each), and the call is allowed.
  const cwds = Array.from({ length: MAX_WORKING_FOLDERS }, (_, i) => `%X${i}%`);
  const folders = Object.fromEntries(cwds.map((cwd, i) => [`o${i}`, { cwd }]));
  const items = Array.from({ length: 65536 }, (_, i) => `AB${i}~1\\x`);
  const { ownFiles, governingFiles, clientConfigs, projectConfigs } = WINDOWS;
  const relative = [ownFiles, governingFiles, clientConfigs, projectConfigs].flatMap((p) =>
    p?.checkRelative === undefined ? [] : [p.checkRelative]
  );
  assert.ok(relative.length >= 2, "the profile's and the clients' configs' protections");
  const budget: RelativeBudget = { left: 0, exhausted: false };
  let reached = 0;
  for (const checkRelative of relative) {
    for (const item of items) if (checkRelative(item, cwds, budget)) reached++;
  }
  assert.deepEqual({ reached, ...budget }, { reached: 0, left: 0, exhausted: false });
  assert.equal(rule(WINDOWS, { items, ...folders }), ALLOWED);
  // The budget does count: a profile's short name is resolved in each folder, at a cost.
  const some: RelativeBudget = { left: 100, exhausted: false };
  ownFiles!.checkRelative!("THOTH~1\\keys\\x", cwds, some);
  assert.ok(some.left <= 100 - cwds.length, JSON.stringify(some));
  // A profile's short name in a working folder is still read.
  assert.equal(
    rule(WINDOWS, { command: "type THOTH~1\\keys\\x", cwd: "C:\\Users\\u" }),
    OWN_FILES_RULE,
  );
  // Paths that may name the profile, each resolved against each folder thoth cannot place:
  // past the budget the call is blocked, with its own reason.
  const paths = Array.from({ length: 20000 }, (_, i) => `.thoth/x${i}`);
  const linuxFolders = Object.fromEntries(
    Array.from({ length: MAX_WORKING_FOLDERS }, (_, i) => [`o${i}`, { cwd: `$X${i}` }]),
  );
  const capped = judge(LINUX, { paths, ...linuxFolders });
  assert.equal(capped.ruleIds.join(","), OWN_FILES_RULE);
  assert.match(capped.reasons[0]!, /too many relative paths in one call to check/);
  // Climbing paths that name no protected folder are resolved only in folders that name one.
  const climbing = Array.from({ length: 20000 }, (_, i) => `a${i}/../b`);
  assert.equal(rule(LINUX, { climbing, ...linuxFolders }), ALLOWED);
  // A list of paths below a folder of item 2, in one working folder, is read.
  const listing = Array.from({ length: 20000 }, (_, i) => `.config/nvim/lua/x${i}.lua`);
  assert.equal(rule(LINUX, { listing, cwd: "/home/u" }), ALLOWED);
  // An ordinary script with a few of them is read.
  const script = Array.from({ length: 300 }, (_, i) => `cp ../in/${i}.csv ./out/`).join("\n");
  assert.equal(rule(LINUX, { command: script, cwd: "/srv/app", dir: "/srv/b" }), ALLOWED);
  assert.equal(
    rule(LINUX, { command: `${script}\ncat ../.thoth/keys/x`, cwd: "/home/u/x" }),
    OWN_FILES_RULE,
  );
});

Deno.test("the working-folder cap applies only when a string may name a relative path", () => {
  const files = Array.from(
    { length: MAX_WORKING_FOLDERS + 1 },
    (_, i) => ({ directory: `/srv/data/part${i}`, name: `${i}.csv` }),
  );
  assert.equal(rule(LINUX, { files }, "upload_batch"), ALLOWED);
  const jobs = Array.from(
    { length: 12 },
    (_, i) => ({ cwd: `/home/u/mono/packages/p${i}`, command: "npm test" }),
  );
  assert.equal(rule(LINUX, { jobs }, "run_many"), ALLOWED);
  const capped = judge(LINUX, { files, command: "cat .thoth/keys/x" });
  assert.equal(capped.ruleIds.join(","), OWN_FILES_RULE);
  assert.match(
    capped.reasons[0]!,
    new RegExp(
      `too many working folders in one call to check: ${
        MAX_WORKING_FOLDERS + 1
      }; thoth checks at most ${MAX_WORKING_FOLDERS}`,
    ),
  );
});

Deno.test("\\\\host\\ADMıN$ is the Windows folder too", () => {
  const win = { os: "windows", home: "C:\\Users\\ana" };
  assert.equal(blocks({ glob: "C:/Windows/**" }, "\\\\localhost\\ADM\u0131N$\\x", win), true);
  assert.equal(blocks({ prefix: "C:\\Windows\\" }, "\\\\localhost\\adm\u0131n$\\x", win), true);
  assert.equal(blocks({ glob: "C:/Windows/**" }, "\\\\localhost\\ADMAN$\\x", win), false);
});
