/**
 * The path written for this thoth is the PATH entry that leads to it (a
 * package manager's link), not the versioned file the link leads to, which
 * an upgrade removes; without such an entry, the file itself.
 */
import assert from "node:assert/strict";
import { execPathOnPath } from "../../src/platform/exec_path_on_path.ts";

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
    execPath: "/usr/lib/node_modules/deno/deno",
    names: ["deno"],
    pathValue: "/usr/local/bin:/usr/bin:/bin",
    realPath: fs(
      { "/usr/bin/deno": "/usr/lib/node_modules/deno/deno" },
      ["/usr/lib/node_modules/deno/deno"],
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

Deno.test("execPathOnPath() writes the PATH entry that leads to the running file, else the file", () => {
  for (const { label, execPath, names, pathValue, os, realPath, expected } of CASES) {
    assert.equal(
      execPathOnPath({ execPath, names, pathValue, os: os ?? "linux", realPath }),
      expected,
      label,
    );
  }
});
