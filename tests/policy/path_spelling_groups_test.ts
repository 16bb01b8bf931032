/**
 * Spellings of one file are judged as one (macOS `/tmp` and `/private/tmp`,
 * a Windows share and no folder on the current drive), a drive-rooted
 * Windows path is read as written, Python's `file:` URLs on Windows, unknown
 * GLOBALROOT devices, volume paths read once on any drive, percent escapes
 * read decoded by allow rules too, and `~name` for any name a shell or
 * `expanduser` may look up.
 */
import assert from "node:assert/strict";
import { allows, blocks } from "./_path_predicate.ts";
import { compilePolicy } from "../../src/policy/compile_policy.ts";
import { evaluate } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse_policy.ts";
import { windowsDeviceReadings } from "../../src/policy/windows_device_readings.ts";
import { toolCall } from "./_call.ts";
import { threadCpu } from "../_thread_cpu.ts";

const linux = { os: "linux", home: "/home/ana" };
const mac = { os: "darwin", home: "/Users/ana" };
const win = { os: "windows", home: "C:\\Users\\ana" };

Deno.test("on Windows a path from the root of the current drive is read as written, never unreadable", () => {
  for (const value of ["/data/x.txt", "\\data\\x.txt"]) {
    assert.equal(allows({ glob: "/data/**" }, value, win), true, value);
    assert.equal(blocks({ notGlob: ["/data/**", "C:/Data/**"] }, value, win), false, value);
    assert.equal(blocks({ notGlob: ["/data/**"] }, value.replace("data", "etc"), win), true, value);
  }
  // A share stays one: `\\srv\x.txt` is no `\srv\x.txt`.
  assert.equal(blocks({ notGlob: ["/srv/**"] }, "\\srv\\x.txt", win), false);
});

Deno.test("on macOS /tmp and /private/tmp (and /etc, /var) are one folder to every rule", () => {
  for (const value of ["/tmp/x", "/private/tmp/x", "/TMP/build/out.o"]) {
    assert.equal(allows({ glob: "/tmp/**" }, value, mac), true, value);
    assert.equal(allows({ glob: "/private/tmp/**" }, value, mac), true, value);
    assert.equal(blocks({ notGlob: ["/tmp/**", "/var/folders/**"] }, value, mac), false, value);
    assert.equal(blocks({ notGlob: ["/private/tmp/**", "/Users/**"] }, value, mac), false, value);
    assert.equal(blocks({ glob: "/private/tmp/**" }, value, mac), true, value);
    assert.equal(blocks({ glob: "/tmp/**" }, value, mac), true, value);
    assert.equal(blocks({ prefix: "/private/tmp/" }, value, mac), true, value);
    assert.equal(allows({ prefix: "/tmp/" }, value, mac), true, value);
  }
  // The macOS temporary folder, under /var/folders (which is /private/var/folders).
  assert.equal(
    blocks({ notGlob: ["/tmp/**", "/var/folders/**"] }, "/var/folders/ab/T/x", mac),
    false,
  );
  assert.equal(allows({ glob: "/var/folders/**" }, "/private/var/folders/ab/T/x", mac), true);
  // Still outside, and still inside a deny rule, however it is spelled.
  assert.equal(allows({ glob: "/tmp/**" }, "/private/tmp/../etc/sudoers", mac), false);
  assert.equal(allows({ glob: "/tmp/**" }, "/tmp/%2e%2e/etc/sudoers", mac), false);
  assert.equal(blocks({ notGlob: "/tmp/**" }, "/private/etc/sudoers", mac), true);
  assert.equal(blocks({ glob: "/private/etc/**" }, "/etc/sudoers", mac), true);
  assert.equal(blocks({ glob: "/etc/**" }, "/private/etc/sudoers", mac), true);
  // Elsewhere /private is a folder of its own.
  assert.equal(allows({ glob: "/tmp/**" }, "/private/tmp/x", linux), false);
  // A relative path a base puts in /tmp is inside /tmp however the rule spells it.
  const based = { ...mac, bases: ["/tmp"] };
  assert.equal(blocks({ notGlob: ["/tmp/**", "x"] }, "x", based), false);
  assert.equal(blocks({ notGlob: ["/private/tmp/**", "x"] }, "x", based), false);
});

Deno.test("on Windows a share is read as the share, not also as a folder of the current drive", () => {
  for (const value of ["\\\\srv\\share\\x.txt", "//srv/share/x.txt"]) {
    assert.equal(allows({ glob: "//srv/share/**" }, value, win), true, value);
    assert.equal(blocks({ notGlob: ["//srv/share/**", "C:/Data/**"] }, value, win), false, value);
    assert.equal(blocks({ glob: "//srv/share/**" }, value, win), true, value);
  }
  assert.equal(allows({ glob: "//srv/share/**" }, "\\\\srv\\other\\x", win), false);
  assert.equal(blocks({ glob: "//srv/secret/**" }, "\\\\?\\UNC\\srv\\secret\\x", win), true);
});

Deno.test("on Windows a file: URL is also read as Python's nturl2path opens it", () => {
  const deny = { glob: ["//srv/secret/**", "C:/Users/*/.ssh/**"] };
  for (
    const value of [
      "file:////srv/secret/a",
      "file://///srv/secret/a",
      "file:///C|/Users/x/.ssh/id_rsa",
      "file:///c|/Users/x/.ssh/id_rsa",
      "file:/C|/Users/x/%2essh/id_rsa",
    ]
  ) {
    assert.equal(blocks(deny, value, win), true, value);
    assert.equal(allows({ glob: ["C:/Data/**", "//srv/public/**"] }, value, win), false, value);
  }
  assert.equal(blocks(deny, "file:///C|/Users/x/notes.txt", win), false);
});

Deno.test("a GLOBALROOT device thoth does not know is unreadable; the SMB redirector's spellings are the share", () => {
  const deny = { glob: "//srv/secret/**" };
  for (
    const value of [
      "\\\\?\\GLOBALROOT\\Device\\Mup\\;LanmanRedirector\\;Z:0000000000012345\\srv\\secret\\a",
      "\\\\?\\GLOBALROOT\\Device\\Mup\\;LanmanRedirector\\srv\\secret\\a",
      "\\\\?\\GLOBALROOT\\Device\\LanmanRedirector\\;Z:0000000000012345\\srv\\secret\\a",
    ]
  ) {
    assert.equal(blocks(deny, value, win), true, value);
  }
  for (
    const value of [
      "\\\\?\\GLOBALROOT\\Device\\Floppy0\\x",
      "\\\\?\\GLOBALROOT\\Device\\CdRom0\\x",
      "\\\\?\\GLOBALROOT\\Device\\Harddisk0\\DR0",
    ]
  ) {
    assert.deepEqual(
      windowsDeviceReadings(value.replaceAll("\\", "/").toLowerCase())[0],
      undefined,
    );
    assert.equal(allows({ glob: "**" }, value, win), false, value);
    assert.equal(blocks({ notGlob: "**" }, value, win), true, value);
  }
});

Deno.test("a volume path is read once on any drive: a glob on some drive matches, no allow rule accepts it", () => {
  const value = "\\\\?\\Volume{0123abcd-0000-0000-0000-000000000000}\\Users\\ana\\.ssh\\id_rsa";
  assert.equal(windowsDeviceReadings(value.replaceAll("\\", "/").toLowerCase()).length, 2);
  assert.equal(blocks({ glob: "D:/Users/*/.ssh/**" }, value, win), true);
  assert.equal(blocks({ glob: "**/.ssh/**" }, value, win), true);
  assert.equal(blocks({ glob: "[d-f]:/Users/**" }, value, win), true);
  assert.equal(blocks({ prefix: "E:\\Users\\" }, value, win), true);
  assert.equal(blocks({ glob: "C:/Data/**" }, value, win), false);
  assert.equal(blocks({ prefix: "C:\\Data\\" }, value, win), false);
  assert.equal(allows({ glob: "**" }, value, win), false);
  assert.equal(allows({ glob: "?:/Users/**" }, value, win), false);
  assert.equal(blocks({ notGlob: "?:/**" }, value, win), true);
  // A value that starts with what stands for an unknown drive is no path an allow rule accepts.
  assert.equal(allows({ glob: "C:/Data/**" }, "\u0000:/Data/x", win), false);
});

Deno.test("many volume paths in one call take linear time (each read once for all the rules)", () => {
  const rules: unknown[] = [];
  for (let i = 0; i < 20; i++) {
    rules.push({
      id: `p${i}`,
      match: { args: { "files[*]": { glob: `C:/restricted${i}/**` } } },
      decision: "block",
    });
  }
  rules.push({
    id: "ng",
    match: { args: { "files[*]": { notGlob: "C:/data/**" } } },
    decision: "block",
  });
  const text = JSON.stringify({ version: 1, default: "allow", rules });
  const policy = compilePolicy(parsePolicy(text, "p.jsonc"), {
    os: "windows",
    home: "C:\\Users\\ana",
  });
  const files = Array.from(
    { length: 32 },
    (_, i) => `\\\\?\\Volume{0123}\\${i}` + "\\a".repeat(16000),
  );
  const { value: verdict, cpuMs } = threadCpu(() =>
    evaluate(policy, toolCall("fs", "t", { files }), {})
  );
  assert.equal(verdict.decision, "block");
  // Before, each of the 21 rules read every path again on 26 drives: tens of seconds. Bounded
  // is the CPU this thread spends, not the wall clock (which a busy machine stretches).
  assert.ok(cpuMs < 8000, `took ${cpuMs.toFixed(0)} ms of CPU`);
});

Deno.test("an allow rule refuses a percent escape whose decoded reading it does not accept, in its folder or not", () => {
  const csv = { glob: "/data/*.csv" };
  // Fail closed: a server that decodes the value opens `/data/sales/2024.csv`.
  assert.equal(allows(csv, "/data/sales%2F2024.csv", linux), false);
  assert.equal(allows(csv, "/data/q1%2fq2.csv", linux), false);
  assert.equal(allows({ glob: "/data/**" }, "/data/a%2fb%2fc.txt", linux), true);
  for (
    const value of [
      "/data/..%2fetc%2fpasswd.csv",
      "/data/x%2f..%2f..%2fetc%2fshadow.csv",
      "/data/a%2f..%2fsub%2fb.csv",
      "/data/%2e%2e/etc/x.csv",
      "%2fetc%2fx.csv",
    ]
  ) {
    assert.equal(allows(csv, value, linux), false, value);
  }
  // A deny rule still sees the decoded file.
  assert.equal(blocks({ glob: "/data/sales/**" }, "/data/sales%2F2024.csv", linux), true);
  assert.equal(blocks({ glob: "/etc/**" }, "/data/..%2fetc%2fpasswd", linux), true);
});

Deno.test("~name is a home folder for any name a shell or expanduser may look up", () => {
  const deny = { glob: "/home/**" };
  // Fail closed: `~notes.txt` may be a user's home folder (Bash and Python look the name up).
  for (const value of ["~notes.txt", "~build.log", "~1/x"]) {
    assert.equal(blocks(deny, value, linux), true, value);
  }
  // A name `useradd` refuses is no user's on Linux.
  for (const value of ["~$lock.docx", "~~"]) {
    assert.equal(blocks(deny, value, linux), false, value);
  }
  for (
    const value of [
      "~alice/.ssh/id_rsa",
      "~alice",
      "~svc-backup/x",
      "~alice@corp.example/.ssh/id_rsa",
    ]
  ) {
    assert.equal(blocks(deny, value, linux), true, value);
  }
  assert.equal(blocks({ glob: "/root/**" }, "~root/.bashrc", linux), true);
  // Python's ntpath reads any `~name` on Windows as a sibling of the home folder, so Office's
  // lock and temporary files are read so too.
  for (const value of ["~WRL0001.tmp", "~DF3A5B.tmp", "~$lock.docx"]) {
    assert.equal(blocks({ glob: "C:/Users/**" }, value, win), true, value);
  }
  assert.equal(blocks({ glob: "C:/Users/**" }, "~alice\\.ssh\\id_rsa", win), true);
});
