/**
 * The path written for this thoth is the PATH entry that leads to it (a
 * package manager's link), not the versioned file the link leads to, which
 * an upgrade removes; without such an entry, the file itself. An entry
 * another user could make lead elsewhere (a link in a folder anyone may
 * write to, a link or folder of another user's, on any hop) is passed over.
 */
import assert from "node:assert/strict";
import { execPathOnPath } from "../../src/platform/exec_path_on_path.ts";
import type { PathPartInfo } from "../../src/platform/redirectable_part.ts";
import { type Part, tree } from "./_fake_tree.ts";

const CELLAR = "/usr/local/Cellar/thoth/1.2.3/bin/thoth";

/** A file system of links (`from` → `to`) and files (leading to themselves). */
function fs(links: Record<string, string>, files: string[]) {
  return (path: string): string | undefined =>
    links[path] ?? (files.includes(path) ? path : undefined);
}

const CASES: {
  label: string;
  execPath: string;
  names: string[];
  pathValue: string;
  os?: string;
  realPath: (path: string) => string | undefined;
  expected: string;
}[] = [
  {
    label: "a Homebrew-style link on PATH is written, not its versioned target",
    execPath: CELLAR,
    names: ["thoth"],
    pathValue: "/usr/bin:/usr/local/bin:/bin",
    realPath: fs({ "/usr/local/bin/thoth": CELLAR }, [CELLAR, "/usr/bin/ls"]),
    expected: "/usr/local/bin/thoth",
  },
  {
    label: "PATH is searched in order: the first entry that leads to the file wins",
    execPath: CELLAR,
    names: ["thoth"],
    pathValue: "/home/ana/bin:/usr/local/bin",
    realPath: fs({ "/home/ana/bin/thoth": CELLAR, "/usr/local/bin/thoth": CELLAR }, [CELLAR]),
    expected: "/home/ana/bin/thoth",
  },
  {
    label: "an earlier entry that leads to another thoth is passed over",
    execPath: CELLAR,
    names: ["thoth"],
    pathValue: "/opt/old/bin:/usr/local/bin",
    realPath: fs(
      { "/usr/local/bin/thoth": CELLAR },
      [CELLAR, "/opt/old/bin/thoth"],
    ),
    expected: "/usr/local/bin/thoth",
  },
  {
    label: "no entry leads to the file: the file itself, as before",
    execPath: CELLAR,
    names: ["thoth"],
    pathValue: "/usr/bin:/opt/old/bin",
    realPath: fs({}, [CELLAR, "/opt/old/bin/thoth"]),
    expected: CELLAR,
  },
  {
    label: "no PATH at all: the file itself",
    execPath: CELLAR,
    names: ["thoth"],
    pathValue: "",
    realPath: fs({}, [CELLAR]),
    expected: CELLAR,
  },
  {
    label: "relative and empty PATH folders are not looked in",
    execPath: CELLAR,
    names: ["thoth"],
    pathValue: ":bin:./local:/usr/local/bin",
    realPath: fs(
      { "bin/thoth": CELLAR, "./local/thoth": CELLAR, "/usr/local/bin/thoth": CELLAR },
      [CELLAR],
    ),
    expected: "/usr/local/bin/thoth",
  },
  {
    label: "a PATH folder written with a final slash gets no second one",
    execPath: CELLAR,
    names: ["thoth"],
    pathValue: "/usr/local/bin/",
    realPath: fs({ "/usr/local/bin/thoth": CELLAR }, [CELLAR]),
    expected: "/usr/local/bin/thoth",
  },
  {
    label: "a link named for the program leads to a release asset's name",
    execPath: "/opt/thoth/thoth-linux-x86_64",
    names: ["thoth-linux-x86_64", "thoth"],
    pathValue: "/usr/bin:/home/ana/.local/bin",
    realPath: fs(
      { "/home/ana/.local/bin/thoth": "/opt/thoth/thoth-linux-x86_64" },
      ["/opt/thoth/thoth-linux-x86_64"],
    ),
    expected: "/home/ana/.local/bin/thoth",
  },
  {
    label: "deno from PATH (a link into a versioned npm folder) is written as the link",
    execPath: "/opt/node/lib/node_modules/deno/deno",
    names: ["deno"],
    pathValue: "/usr/local/bin:/usr/bin:/bin",
    realPath: fs(
      { "/usr/bin/deno": "/opt/node/lib/node_modules/deno/deno" },
      ["/opt/node/lib/node_modules/deno/deno"],
    ),
    expected: "/usr/bin/deno",
  },
  {
    label: "an execPath that is itself a link is compared by where it leads",
    execPath: "/opt/links/thoth",
    names: ["thoth"],
    pathValue: "/usr/local/bin",
    realPath: fs(
      { "/opt/links/thoth": CELLAR, "/usr/local/bin/thoth": CELLAR },
      [CELLAR],
    ),
    expected: "/usr/local/bin/thoth",
  },
  {
    label: "the file's own folder on PATH: the file itself",
    execPath: CELLAR,
    names: ["thoth"],
    pathValue: "/usr/local/Cellar/thoth/1.2.3/bin",
    realPath: fs({}, [CELLAR]),
    expected: CELLAR,
  },
  {
    label: "Windows: PATH split on ';', a drive-letter folder, backslash joined",
    execPath: "C:\\Tools\\thoth\\1.2.3\\thoth.exe",
    names: ["thoth.exe"],
    pathValue: "C:\\Windows\\system32;relative;C:\\Tools\\bin",
    os: "windows",
    realPath: fs(
      {
        "C:\\Tools\\bin\\thoth.exe": "C:\\Tools\\thoth\\1.2.3\\thoth.exe",
        "relative\\thoth.exe": "C:\\Tools\\thoth\\1.2.3\\thoth.exe",
      },
      ["C:\\Tools\\thoth\\1.2.3\\thoth.exe"],
    ),
    expected: "C:\\Tools\\bin\\thoth.exe",
  },
  {
    label: "a name with a separator in it is not looked up",
    execPath: CELLAR,
    names: ["../thoth", ""],
    pathValue: "/usr/local/bin",
    realPath: fs({ "/usr/local/bin/../thoth": CELLAR, "/usr/local/bin/": CELLAR }, [CELLAR]),
    expected: CELLAR,
  },
];

/** Every part root's, folders 0755: what the cases above are not about. */
function rootsOnly(_path: string): PathPartInfo {
  return { uid: 0, mode: 0o40755, isSymlink: false, isDirectory: true };
}

Deno.test("execPathOnPath() writes the PATH entry that leads to the running file, else the file", () => {
  for (const { label, execPath, names, pathValue, os, realPath, expected } of CASES) {
    assert.equal(
      execPathOnPath({
        execPath,
        names,
        pathValue,
        os: os ?? "linux",
        realPath,
        lstat: rootsOnly,
        readLink: () => undefined,
        self: 1000,
      }),
      expected,
      label,
    );
  }
});

const ANA = 1000;
const MALLORY = 1001;
const FILE: Part = { kind: "file" };

const JUDGED: {
  label: string;
  parts: Record<string, Part>;
  pathValue: string;
  self?: number | null;
  expected: string;
}[] = [
  {
    label: "a link in a root-owned 0755 folder is written",
    parts: { [CELLAR]: FILE, "/usr/local/bin/thoth": { kind: "link", to: CELLAR } },
    pathValue: "/usr/local/bin",
    expected: "/usr/local/bin/thoth",
  },
  {
    label: "a link of the user's in the user's own 0755 folder is written",
    parts: {
      [CELLAR]: FILE,
      "/home/ana": { kind: "dir", uid: ANA },
      "/home/ana/bin": { kind: "dir", uid: ANA },
      "/home/ana/bin/thoth": { kind: "link", uid: ANA, to: CELLAR },
    },
    pathValue: "/home/ana/bin",
    expected: "/home/ana/bin/thoth",
  },
  {
    label: "a link in a world-writable folder: anyone may swap it, the file itself",
    parts: {
      [CELLAR]: FILE,
      "/srv/ww": { kind: "dir", mode: 0o777 },
      "/srv/ww/thoth": { kind: "link", uid: ANA, to: CELLAR },
    },
    pathValue: "/srv/ww",
    expected: CELLAR,
  },
  {
    label: "a link in a group-writable folder: the file itself",
    parts: {
      [CELLAR]: FILE,
      "/usr/local/bin": { kind: "dir", mode: 0o775 },
      "/usr/local/bin/thoth": { kind: "link", to: CELLAR },
    },
    pathValue: "/usr/local/bin",
    expected: CELLAR,
  },
  {
    label: "a link another user owns: the file itself",
    parts: { [CELLAR]: FILE, "/usr/local/bin/thoth": { kind: "link", uid: MALLORY, to: CELLAR } },
    pathValue: "/usr/local/bin",
    expected: CELLAR,
  },
  {
    label: "a link in a folder another user owns (0755): the file itself",
    parts: {
      [CELLAR]: FILE,
      "/home/mallory/bin": { kind: "dir", uid: MALLORY },
      "/home/mallory/bin/thoth": { kind: "link", uid: ANA, to: CELLAR },
    },
    pathValue: "/home/mallory/bin",
    expected: CELLAR,
  },
  {
    label: "a safe folder inside one anyone may write to (who may rename it): the file itself",
    parts: {
      [CELLAR]: FILE,
      "/home/ana": { kind: "dir", uid: ANA, mode: 0o777 },
      "/home/ana/bin": { kind: "dir", uid: ANA },
      "/home/ana/bin/thoth": { kind: "link", uid: ANA, to: CELLAR },
    },
    pathValue: "/home/ana/bin",
    expected: CELLAR,
  },
  {
    label: "a safe link to a link in a world-writable folder: the file itself",
    parts: {
      [CELLAR]: FILE,
      "/opt/shared": { kind: "dir", mode: 0o777 },
      "/opt/shared/thoth": { kind: "link", uid: ANA, to: CELLAR },
      "/usr/local/bin/thoth": { kind: "link", to: "/opt/shared/thoth" },
    },
    pathValue: "/usr/local/bin",
    expected: CELLAR,
  },
  {
    label: "a relative hop (../) through a world-writable folder: the file itself",
    parts: {
      [CELLAR]: FILE,
      "/opt/ww": { kind: "dir", mode: 0o777 },
      "/opt/ww/thoth": { kind: "link", to: CELLAR },
      "/opt/bin/thoth": { kind: "link", to: "../ww/thoth" },
    },
    pathValue: "/opt/bin",
    expected: CELLAR,
  },
  {
    label: "a safe chain of links, relative and absolute, is written",
    parts: {
      [CELLAR]: FILE,
      "/opt/thoth/current": { kind: "link", to: "/usr/local/Cellar/thoth/1.2.3" },
      "/usr/local/bin/thoth": { kind: "link", to: "../../../opt/thoth/current/bin/thoth" },
    },
    pathValue: "/usr/local/bin",
    expected: "/usr/local/bin/thoth",
  },
  {
    label: "a folder on the way to the link's target another user owns: the file itself",
    parts: {
      [CELLAR]: FILE,
      "/usr/local/Cellar": { kind: "dir", uid: MALLORY },
      "/usr/local/bin/thoth": { kind: "link", to: CELLAR },
    },
    pathValue: "/usr/local/bin",
    expected: CELLAR,
  },
  {
    label: "the user's own link in a sticky world-writable folder (like /tmp) is written",
    parts: {
      [CELLAR]: FILE,
      "/tmp": { kind: "dir", mode: 0o1777 },
      "/tmp/thoth": { kind: "link", uid: ANA, to: CELLAR },
    },
    pathValue: "/tmp",
    expected: "/tmp/thoth",
  },
  {
    label: "another user's link in a sticky folder: the file itself",
    parts: {
      [CELLAR]: FILE,
      "/tmp": { kind: "dir", mode: 0o1777 },
      "/tmp/thoth": { kind: "link", uid: MALLORY, to: CELLAR },
    },
    pathValue: "/tmp",
    expected: CELLAR,
  },
  {
    label: "an unsafe entry is passed over for a later safe one",
    parts: {
      [CELLAR]: FILE,
      "/srv/ww": { kind: "dir", mode: 0o777 },
      "/srv/ww/thoth": { kind: "link", uid: ANA, to: CELLAR },
      "/usr/local/bin/thoth": { kind: "link", to: CELLAR },
    },
    pathValue: "/srv/ww:/usr/local/bin",
    expected: "/usr/local/bin/thoth",
  },
  {
    label: "run as root, a link another user owns is not followed: the file itself",
    parts: {
      [CELLAR]: FILE,
      "/home/ana/bin": { kind: "dir", uid: ANA },
      "/home/ana/bin/thoth": { kind: "link", uid: ANA, to: CELLAR },
    },
    pathValue: "/home/ana/bin",
    self: 0,
    expected: CELLAR,
  },
  {
    label: "who runs thoth unknown: only root's parts are trusted",
    parts: { [CELLAR]: FILE, "/home/ana/bin/thoth": { kind: "link", uid: ANA, to: CELLAR } },
    pathValue: "/home/ana/bin",
    self: null,
    expected: CELLAR,
  },
];

Deno.test("execPathOnPath() passes over a PATH entry another user could make lead elsewhere", () => {
  for (const { label, parts, pathValue, self, expected } of JUDGED) {
    const fake = tree(parts);
    assert.equal(
      execPathOnPath({
        execPath: CELLAR,
        names: ["thoth"],
        pathValue,
        os: "linux",
        ...fake,
        self: self === undefined ? ANA : self,
      }),
      expected,
      label,
    );
  }
});

Deno.test("execPathOnPath() judges no owners on Windows", () => {
  const exe = "C:\\Tools\\thoth\\1.2.3\\thoth.exe";
  assert.equal(
    execPathOnPath({
      execPath: exe,
      names: ["thoth.exe"],
      pathValue: "C:\\Tools\\bin",
      os: "windows",
      realPath: (path) => path.startsWith("C:\\Tools") ? exe : undefined,
      lstat: () => undefined,
      readLink: () => undefined,
      self: null,
    }),
    "C:\\Tools\\bin\\thoth.exe",
  );
});
