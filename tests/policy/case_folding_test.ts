// Case folding beyond ASCII (`ſ` as `s`, `ı` as `i`) where files are compared
// without case: the shared module, and the policy's globs and prefixes on
// macOS and Windows (a rule that blocks reads the folded value, one that
// allows needs the name as written); Linux compares as written.
import assert from "node:assert/strict";
import { anyCaseGlob, asciiFolded, caseless, caselessGlob } from "../../src/policy/case_folding.ts";
import { globToRegExp } from "../../src/policy/glob_to_regexp.ts";
import { allows, blocks } from "./_path_predicate.ts";

const linux = { os: "linux", home: "/home/ana" };
const mac = { os: "darwin", home: "/Users/ana" };
const win = { os: "windows", home: "C:\\Users\\ana" };

Deno.test("caseless() and asciiFolded() read ſ as s and ı as i, indexes kept", () => {
  assert.equal(caseless("C:\\Uſers\\Wındows"), "c:\\users\\windows");
  assert.equal(asciiFolded("a.json"), "a.json");
  const text = "~/.ſſh/ıd";
  assert.equal(asciiFolded(text).length, text.length);
});

Deno.test("caselessGlob() matches ſ and ı for s and i outside classes, escapes too", () => {
  const cases: [string, string, boolean][] = [
    ["**/.ssh/**", "/u/.ſsh/id", true],
    ["c:/windows/**", "c:/wındows/x", true],
    ["c:/windows/**", "c:/windows/x", true],
    ["/x/\\s", "/x/ſ", true],
    ["/x/[!s]", "/x/ſ", true],
    ["/x/[s]", "/x/ſ", false],
    ["/x/[]s]", "/x/s", true],
    ["/{is,as}", "/ıſ", true],
  ];
  for (const [glob, value, want] of cases) {
    assert.equal(globToRegExp(caselessGlob(glob)).test(value), want, `${glob} ${value}`);
  }
  assert.equal(caselessGlob("/data/**"), "/data/**");
});

Deno.test("anyCaseGlob() makes each letter a class of its cases and of ſ, ı", () => {
  const re = globToRegExp(anyCaseGlob("**/.mcp.json"));
  for (const value of ["a/.MCP.JSON", "a/.mcp.jſon", "a/.Mcp.json"]) {
    assert.equal(re.test(value), true, value);
  }
  assert.equal(globToRegExp(anyCaseGlob("/ci")).test("/cı"), true);
});

Deno.test("a glob or prefix that blocks reads ſ as s and ı as i on Windows and macOS", () => {
  for (const os of [win, mac]) {
    assert.equal(blocks({ glob: "**/.ssh/**" }, "/Users/ana/.ſsh/id_rsa", os), true);
    assert.equal(blocks({ prefix: "/Users/ana/.ssh/" }, "/Users/ana/.ſsh/id_rsa", os), true);
  }
  assert.equal(blocks({ glob: "**/.ssh/**" }, "C:\\Users\\ana\\.ſsh\\id_rsa", win), true);
  assert.equal(blocks({ glob: "C:/Windows/**" }, "C:\\Wındows\\x", win), true);
  assert.equal(blocks({ prefix: "C:\\Windows\\" }, "C:\\Wındows\\x", win), true);
  assert.equal(blocks({ glob: "C:/Windows/**" }, "C:\\Wındow\\x", win), false);
  // A notGlob in a rule that allows counts the folded value as inside: not allowed.
  assert.equal(allows({ notGlob: "C:/Windows/**" }, "C:\\Wındows\\x", win), false);
  assert.equal(allows({ notGlob: "C:/Windows/**" }, "C:\\data\\x", win), true);
});

Deno.test("an allow rule needs the name as written; a notGlob that blocks reads it so too", () => {
  // `C:\ſecret` may be another folder than `C:\secret`: an allow rule does not take it.
  assert.equal(allows({ glob: "C:/secret/**" }, "C:\\ſecret\\x", win), false);
  assert.equal(allows({ glob: "C:/secret/**" }, "C:\\SECRET\\x", win), true);
  assert.equal(allows({ prefix: "C:/secret/" }, "C:\\ſecret\\x", win), false);
  // A rule that blocks what is outside `C:/data/**` blocks `C:\dată`… and `C:\ſata` alike.
  assert.equal(blocks({ notGlob: "C:/data/**" }, "C:\\daſa\\x", win), true);
});

Deno.test("Linux compares names as written: no folding", () => {
  assert.equal(blocks({ glob: "**/.ssh/**" }, "/home/ana/.ſsh/id_rsa", linux), false);
  assert.equal(blocks({ glob: "**/.ssh/**" }, "/home/ana/.SSH/id_rsa", linux), false);
  assert.equal(blocks({ prefix: "/home/ana/.ssh/" }, "/home/ana/.ſsh/id_rsa", linux), false);
  assert.equal(blocks({ glob: "**/.ssh/**" }, "/home/ana/.ssh/id_rsa", linux), true);
});

Deno.test("an allow rule naming a folder with ı or ſ matches that folder as written", () => {
  const turkishWin = { os: "windows", home: "C:\\Users\\Işık" };
  const turkishMac = { os: "darwin", home: "/Users/ışık" };
  const file = "C:\\Users\\Işık\\Projects\\a.txt";
  assert.equal(allows({ glob: "C:/Users/Işık/Projects/**" }, file, turkishWin), true);
  assert.equal(allows({ prefix: "C:\\Users\\Işık\\Projects\\" }, file, turkishWin), true);
  assert.equal(allows({ glob: "/Users/ışık/code/**" }, "/Users/ışık/code/a", turkishMac), true);
  assert.equal(allows({ prefix: "/Users/ışık/code/" }, "/Users/ışık/code/a", turkishMac), true);
  assert.equal(allows({ glob: "/Users/Maſter/**" }, "/Users/Maſter/x", turkishMac), true);
  assert.equal(allows({ prefix: "/Users/Maſter/" }, "/Users/Maſter/x", turkishMac), true);
  // Still the name as written: the ASCII spelling is no other spelling of the allowed folder.
  assert.equal(
    allows({ glob: "C:/Users/Işık/Projects/**" }, "C:\\Users\\Isik\\Projects\\a", win),
    false,
  );
  assert.equal(allows({ glob: "/Users/Maſter/**" }, "/Users/Master/x", turkishMac), false);
  // A rule that blocks with such a folder reads every spelling a file system may take for it.
  assert.equal(
    blocks({ glob: "C:/Users/Işık/secret/**" }, "C:\\Users\\Işık\\secret\\a", turkishWin),
    true,
  );
  assert.equal(
    blocks({ glob: "C:/Users/Işık/secret/**" }, "C:\\Users\\Işik\\secret\\a", turkishWin),
    true,
  );
  assert.equal(
    blocks({ prefix: "C:/Users/Işık/secret/" }, "C:\\Users\\Işık\\secret\\a", turkishWin),
    true,
  );
  assert.equal(blocks({ prefix: "/Users/Maſter/" }, "/Users/Master/x", turkishMac), true);
  // A notGlob that blocks keeps the folder it names as written: its own files are inside.
  assert.equal(blocks({ notGlob: "C:/Users/Işık/**" }, "C:\\Users\\Işık\\a", turkishWin), false);
  assert.equal(blocks({ notGlob: "/Users/ışık/**" }, "/Users/ışık/a", turkishMac), false);
  // A notGlob that allows reads the folded spellings as inside: not allowed.
  assert.equal(allows({ notGlob: "C:/Users/Işık/**" }, "C:\\Users\\Işik\\a", turkishWin), false);
});
