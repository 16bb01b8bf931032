/**
 * The folders that hold a client's config (`~/.config`, `~/.cursor`,
 * `AppData\Roaming`) are blocked themselves, however a string reaches them:
 * `.`, `..` and "" against a server's folder at or below one, JSON inside a
 * string. And the check stays cheap: a string is read against the server's
 * folders only when one of those names is its last segment (or comes before
 * a `..`), not wherever the name appears (`src/user/f.ts` on Windows).
 */
import assert from "node:assert/strict";
import { compileOwnFiles, type OwnFiles } from "../../src/policy/own_files.ts";
import { protectedClientConfigs } from "../../src/config/protected_client_configs.ts";
import { threadCpu } from "../_thread_cpu.ts";

const LINUX_HOME = "/home/ana";
const WINDOWS_HOME = "C:\\Users\\ana";
const WINDOWS_ENV = {
  USERPROFILE: WINDOWS_HOME,
  APPDATA: `${WINDOWS_HOME}\\AppData\\Roaming`,
};

function linux(bases?: string[]): OwnFiles {
  const configs = protectedClientConfigs({ os: "linux", env: { HOME: LINUX_HOME } });
  return compileOwnFiles(configs, { home: LINUX_HOME, os: "linux", bases }, "client_config")!;
}

function windows(bases?: string[]): OwnFiles {
  const configs = protectedClientConfigs({ os: "windows", env: WINDOWS_ENV });
  return compileOwnFiles(
    configs,
    { home: WINDOWS_HOME, os: "windows", bases, variableFolders: { appData: WINDOWS_ENV.APPDATA } },
    "client_config",
  )!;
}

function check(own: OwnFiles, cases: [string, boolean][]): void {
  for (const [path, blocked] of cases) {
    assert.equal(own.reaches({ source: path }), blocked, JSON.stringify(path));
  }
}

Deno.test("own files: ., .. and an empty path reach a folder holding a config from a server's folder at or below it", () => {
  check(linux([`${LINUX_HOME}/.config`]), [
    [".", true],
    ["./", true],
    ["", true],
    ["nvim/..", true],
    ["nvim/./..", true],
    ["nvim", false],
    ["nvim/init.lua", false],
    ["./nvim", false],
  ]);
  check(linux([`${LINUX_HOME}/.config/nvim`]), [
    ["..", true],
    ["../", true],
    ["../nvim", false],
    [".", false],
  ]);
  check(linux([`${LINUX_HOME}/.cursor/extensions/x`]), [
    ["../..", true],
    ["..", false],
  ]);
  // JSON a server parses out of a string.
  check(linux([`${LINUX_HOME}/.config/nvim`]), [['[".."]', true], ['["../nvim"]', false]]);
  check(windows([`${WINDOWS_HOME}\\AppData\\Roaming\\npm`]), [
    ["..", true],
    ["..\\", true],
    ["npm\\..\\..", true],
    ["..\\npm", false],
  ]);
  // Bases the session learns later (the client's roots) count from then on.
  const bases: string[] = [];
  const own = compileOwnFiles(
    protectedClientConfigs({ os: "linux", env: { HOME: LINUX_HOME } }),
    { home: LINUX_HOME, os: "linux", bases },
    "client_config",
  )!;
  assert.equal(own.reaches({ source: "." }), false);
  bases.push(`${LINUX_HOME}/.claude`);
  assert.equal(own.reaches({ source: "." }), true);
});

Deno.test("own files: a folder holding a config inside JSON in a string is read", () => {
  check(linux(), [
    ['["/home/ana/.config"]', true],
    ['["~/.cursor"]', true],
    [' ["/home/ana/.claude"]', true],
    ['{"src":"/home/ana/.config/Code/User","dst":"/tmp/u"}', true],
    ['["/home/ana/.config/git"]', false],
    ['["~/.cursor/rules"]', false],
  ]);
});

Deno.test("own files: a folder holding a config is still read however its path ends", () => {
  check(linux([LINUX_HOME]), [
    [`${LINUX_HOME}/.config`, true],
    [`${LINUX_HOME}/.config/`, true],
    [`${LINUX_HOME}/.config/.`, true],
    [`${LINUX_HOME}/.config//./`, true],
    [`${LINUX_HOME}/.config/nvim/..`, true],
    [`${LINUX_HOME}/.config/nvim/../`, true],
    [`${LINUX_HOME}/.config/a/b/../..`, true],
    ["~/.cursor", true],
    [".config", true],
    ["x/../.config", true],
    // A line break before the last `..` is climbed over; one after it stays in the path.
    [`${LINUX_HOME}/.config/x\n/..`, true],
    ["x\n/../.config", true],
    [`${LINUX_HOME}/.config/../x\n`, false],
    ["file:///home/ana/.config", true],
    [`${LINUX_HOME}/.config/git`, false],
    [`${LINUX_HOME}/.configs`, false],
    [`${LINUX_HOME}/.config.bak`, false],
  ]);
  check(windows([WINDOWS_HOME]), [
    [`${WINDOWS_HOME}\\AppData\\Roaming`, true],
    [`${WINDOWS_HOME}\\AppData\\Roaming.`, true],
    [`${WINDOWS_HOME}\\AppData\\Roaming::$INDEX_ALLOCATION`, true],
    ["c:/users/ana/appdata/roaming/", true],
    [`\\\\?\\${WINDOWS_HOME}\\AppData\\Roaming`, true],
    [`${WINDOWS_HOME}\\AppData\\Roaming\\npm\\..`, true],
    ["AppData", true],
    ["AppData\\Roaming\\Code\\User", true],
    [`${WINDOWS_HOME}\\AppData\\Roaming\\npm`, false],
    [`${WINDOWS_HOME}\\AppData\\Local`, false],
    ["src\\user\\f1.ts", false],
  ]);
});

/**
 * The median of `runs` measures of the CPU this thread spends on `work`, in milliseconds (not
 * the wall clock, which other tests on a busy machine stretch unevenly between runs).
 */
function median(work: () => void, runs = 7): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(threadCpu(work).cpuMs);
  return times.sort((a, b) => a - b)[runs >> 1]!;
}

Deno.test("own files: a folder's name inside ordinary text or paths costs no path reading per base", () => {
  // 64 server folders on Windows, whose names compare without case: `user` and `code` are in
  // many paths and much code.
  const bases = Array.from({ length: 64 }, (_, i) => `${WINDOWS_HOME}\\proj${i}`);
  const own = windows(bases);
  const named = {
    files: Array.from({ length: 2000 }, (_, i) => `src/user/f${i}.ts`),
    content: "import { User } from './models/user';\n".repeat(5000),
  };
  const plain = {
    files: Array.from({ length: 2000 }, (_, i) => `src/item/f${i}.ts`),
    content: "import { Item } from './models/item';\n".repeat(5000),
  };
  assert.equal(own.reaches(named), false);
  assert.equal(own.reaches(plain), false);
  const withNames = median(() => own.reaches(named));
  const without = median(() => own.reaches(plain));
  // Before, each string naming `user` was read against all 64 folders: hundreds of times slower.
  assert.ok(
    withNames < without * 20 + 30,
    `${withNames.toFixed(1)} ms with the names, ${without.toFixed(1)} ms without`,
  );
});
