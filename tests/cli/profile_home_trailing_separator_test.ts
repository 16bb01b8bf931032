/**
 * `profileHome()` takes a `THOTH_HOME` written with trailing separators
 * without them, so that no path built in the profile has a doubled one, and
 * keeps a root as a root (`C:` alone would name a drive's current folder).
 */
import assert from "node:assert/strict";
import { profileHome } from "../../src/cli/profile_home.ts";

const noPasswd = () => undefined;

Deno.test("profileHome() drops the separators a THOTH_HOME ends with", () => {
  const cases: [string, string, string][] = [
    ["/tmp/t/", "linux", "/tmp/t"],
    ["/tmp/t///", "darwin", "/tmp/t"],
    ["/tmp/t", "linux", "/tmp/t"],
    ["/", "linux", "/"],
    ["//", "linux", "/"],
    ["C:\\Users\\ana\\.thoth\\", "windows", "C:\\Users\\ana\\.thoth"],
    ["C:/ProgramData/thoth/", "windows", "C:/ProgramData/thoth"],
    ["\\\\server\\share\\thoth\\\\", "windows", "\\\\server\\share\\thoth"],
    ["C:\\", "windows", "C:\\"],
    ["C:\\\\", "windows", "C:\\"],
    // On Linux a backslash is part of a name, not a separator.
    ["/tmp/odd\\", "linux", "/tmp/odd\\"],
  ];
  for (const [value, os, expected] of cases) {
    assert.equal(profileHome({ THOTH_HOME: value }, os, noPasswd), expected, `${os} ${value}`);
  }
});
