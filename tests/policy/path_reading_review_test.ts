/**
 * Readings a review of the path spelling groups found missing: a percent
 * escape no longer lets an allow rule skip its exclusions, `~name` is read
 * as a home folder for names with dots and leading digits (and any name on
 * Windows), Windows device paths through `Global\` and `\\.\X\..\` are read
 * as what they open (any other is unreadable), only the folders macOS
 * firmlinks are one with `/System/Volumes/Data`, and an administrative share
 * is its drive under any host spelling.
 */
import assert from "node:assert/strict";
import { allows, blocks } from "./_path_predicate.ts";

const linux = { os: "linux", home: "/home/ana" };
const mac = { os: "darwin", home: "/Users/ana" };
const win = { os: "windows", home: "C:\\Users\\ana" };

Deno.test("a percent escape does not let an allow rule skip its exclusions", () => {
  const home = { glob: "/home/ana/**", notGlob: ["/home/ana/.ssh/**", "**/.env"] };
  for (const value of ["/home/ana/%2essh/id_rsa", "~/%2essh/id_rsa", "/home/ana/app/%2eenv"]) {
    assert.equal(allows(home, value, linux), false, value);
  }
  assert.equal(allows(home, "/home/ana/app/notes.txt", linux), true);
  assert.equal(
    allows({ glob: "/data/**", notGlob: ["**/*.key"] }, "/data/tls/server%2ekey", linux),
    false,
  );
  assert.equal(
    allows({ glob: "/data/**", notGlob: ["**/*.key"] }, "/data/tls/server.crt", linux),
    true,
  );
  assert.equal(
    allows({ glob: "/Users/ana/**", notGlob: ["**/.env"] }, "/Users/ana/proj/%2Eenv", mac),
    false,
  );
  assert.equal(
    allows({ glob: "C:/data/**", notGlob: ["C:/data/secret/**"] }, "C:\\data\\%73ecret\\k", win),
    false,
  );
  assert.equal(allows({ glob: "/srv/*/public/**" }, "/srv/app%2fprivate/public/x", linux), false);
});

Deno.test("an allow rule needs the fully decoded reading to pass too, even inside the folder", () => {
  const csv = { glob: "/data/*.csv" };
  // Fail closed: `/data/sales%2F2024.csv` may be opened as `/data/sales/2024.csv`.
  assert.equal(allows(csv, "/data/sales%2F2024.csv", linux), false);
  assert.equal(allows(csv, "/data/q1%2fq2.csv", linux), false);
  assert.equal(allows(csv, "/data/sales-2024.csv", linux), true);
  // Where the decoded reading passes too, the value still passes.
  assert.equal(allows({ glob: "/data/**" }, "/data/a%2fb%2fc.txt", linux), true);
  assert.equal(allows({ glob: "/data/**" }, "/data/report%20q1.txt", linux), true);
});

Deno.test("~name is a home folder for names with dots and leading digits, and any name on Windows", () => {
  assert.equal(blocks({ glob: "C:/Users/*/.ssh/**" }, "~first.last\\.ssh\\id_rsa", win), true);
  assert.equal(blocks({ glob: "/Users/*/.ssh/**" }, "~first.last/.ssh/id_rsa", mac), true);
  assert.equal(blocks({ glob: "/home/*/.ssh/**" }, "~1user/.ssh/id_rsa", linux), true);
  assert.equal(blocks({ prefix: "/home/john.doe/" }, "~john.doe/.ssh/id_rsa", linux), true);
  assert.equal(
    allows({ notGlob: ["/home/**", "/root/**"] }, "~john.doe/.ssh/id_rsa", linux),
    false,
  );
  assert.equal(blocks({ notGlob: ["~john.doe/**"] }, "~john.doe/.ssh/id_rsa", linux), true);
  // Python's ntpath reads any `~name` as a sibling of the home folder.
  assert.equal(blocks({ glob: "C:/Users/*/.ssh/**" }, "~$x\\.ssh\\id_rsa", win), true);
  // Still a name with the domain SSSD adds.
  assert.equal(blocks({ glob: "/home/**" }, "~alice@corp.example/.ssh/id_rsa", linux), true);
  // A `\` is no separator on Linux.
  assert.equal(blocks({ glob: "/home/**" }, "~a\\b", linux), false);
});

const sshKey = "Users\\ana\\.ssh\\id_rsa";

Deno.test("Windows device paths through Global and \\\\.\\X\\..\\ are read as what they open", () => {
  const values = [
    `\\\\.\\Global\\C:\\${sshKey}`,
    `\\\\?\\Global\\C:\\${sshKey}`,
    `\\??\\Global\\C:\\${sshKey}`,
    `\\\\.\\Global\\Global\\C:\\${sshKey}`,
    `\\\\.\\Global\\GLOBALROOT\\Device\\HarddiskVolume3\\${sshKey}`,
    `\\\\.\\Global\\UNC\\localhost\\c$\\${sshKey}`,
    `\\\\.\\pipe\\..\\C:\\${sshKey}`,
    `\\\\?\\GLOBALROOT\\??\\Global\\C:\\${sshKey}`,
  ];
  const open = { glob: "/**", notGlob: ["/windows/**", "/users/*/.ssh/**"] };
  for (const value of values) {
    assert.equal(allows(open, value, win), false, value);
    assert.equal(blocks({ glob: "C:/Users/*/.ssh/**" }, value, win), true, value);
  }
});

Deno.test("any other Windows device path is unreadable, never a folder of the current drive", () => {
  for (
    const value of [
      "\\\\.\\pipe\\x",
      "\\\\?\\pipe\\..\\C:\\data\\x",
      "\\\\.\\Global\\pipe\\x",
      "\\??\\PhysicalDrive0",
    ]
  ) {
    assert.equal(allows({ glob: "**" }, value, win), false, value);
    assert.equal(allows({ glob: "/**" }, value, win), false, value);
    assert.equal(blocks({ notGlob: ["/**", "C:/**"] }, value, win), true, value);
  }
});

Deno.test("on macOS only the firmlinked folders of /System/Volumes/Data are the same files", () => {
  assert.equal(allows({ glob: "/tmp/**" }, "/System/Volumes/Data/tmp/x", mac), false);
  assert.equal(allows({ glob: "/etc/**" }, "/System/Volumes/Data/etc/x", mac), false);
  assert.equal(blocks({ notGlob: "/tmp/**" }, "/System/Volumes/Data/tmp/x", mac), true);
  assert.equal(allows({ glob: "/tmp/**" }, "/System/Volumes/Data/private/tmp/x", mac), true);
  assert.equal(
    blocks({ glob: "/Users/*/.ssh/**" }, "/System/Volumes/Data/Users/ana/.ssh/id_rsa", mac),
    true,
  );
  assert.equal(
    blocks({ glob: "/usr/local/**" }, "/System/Volumes/Data/usr/local/bin/x", mac),
    true,
  );
  assert.equal(
    blocks({ glob: "/Applications/**" }, "/System/Volumes/Data/Applications/x", mac),
    true,
  );
});

Deno.test("a Windows administrative share is its drive under any host spelling", () => {
  for (
    const value of [
      `\\\\127.1\\c$\\${sshKey}`,
      `\\\\localhost.\\c$\\${sshKey}`,
      `\\\\127.0.0.2\\C$\\${sshKey}`,
      `\\\\MYPC\\c$\\${sshKey}`,
      `\\\\[::1]\\c$\\${sshKey}`,
      `//127.1/c$/${sshKey.replaceAll("\\", "/")}`,
      `file://127.1/c$/${sshKey.replaceAll("\\", "/")}`,
    ]
  ) {
    assert.equal(blocks({ glob: "C:/Users/*/.ssh/**" }, value, win), true, value);
    assert.equal(blocks({ prefix: "C:\\Users\\" }, value, win), true, value);
  }
  // The share reading stays: an allow rule on the share alone fails closed.
  assert.equal(allows({ glob: "//127.1/c$/**" }, "\\\\127.1\\c$\\data\\x", win), false);
  assert.equal(blocks({ glob: "//127.1/c$/**" }, "\\\\127.1\\c$\\data\\x", win), true);
  // A share that is no drive's stays a share.
  assert.equal(blocks({ glob: "C:/**" }, "\\\\srv\\cs\\x", win), false);
  // ADMIN$ is the Windows folder, as C$ is the drive.
  for (
    const value of [
      "\\\\localhost\\ADMIN$\\x",
      "\\\\?\\UNC\\localhost\\admin$\\x",
      "\\\\127.1\\Admin$\\System32\\config\\SAM",
      "//[::1]/admin$/x",
      "file://127.1/ADMIN$/x",
    ]
  ) {
    assert.equal(blocks({ glob: "C:/Windows/**" }, value, win), true, value);
    assert.equal(blocks({ prefix: "C:\\Windows\\" }, value, win), true, value);
  }
  assert.equal(blocks({ glob: "C:/Windows/**" }, "\\\\localhost\\admins\\x", win), false);
  assert.equal(blocks({ glob: "C:/Windows/**" }, "\\\\localhost\\xadmin$\\x", win), false);
});
