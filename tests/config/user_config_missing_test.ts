import assert from "node:assert/strict";
import {
  goesOnWithoutUserConfig,
  withProjectConfigHints,
} from "../../src/config/user_config_missing.ts";
import type {
  ProjectConfigLook,
  ProjectConfigsLook,
  ProjectConfigState,
} from "../../src/config/look_at_project_configs.ts";
import { AppError, isAppError } from "../../src/errors.ts";

const NOT_FOUND = new AppError("config.not_found", 'cannot read config "/h/.cursor/mcp.json"', {
  hints: ["pass the config file as INPUT, or choose the client with --client"],
});

function look(...states: ProjectConfigState[]): ProjectConfigsLook {
  return {
    listedIn: "/h/.claude.json",
    listRead: true,
    places: states.map((state, i): ProjectConfigLook => ({
      client: "cursor",
      folder: `/w/${i}`,
      path: `/w/${i}/.cursor/mcp.json`,
      state,
      file: null,
      error: null,
    })),
    notChecked: [],
  };
}

Deno.test("goesOnWithoutUserConfig() goes on after a missing config when a project config file is there", () => {
  for (const state of ["found", "unreadable", "invalid"] as const) {
    assert.equal(goesOnWithoutUserConfig(NOT_FOUND, look("none", state)), true, state);
  }
});

Deno.test("goesOnWithoutUserConfig() does not go on with no project config file, or after another error", () => {
  assert.equal(goesOnWithoutUserConfig(NOT_FOUND, null), false);
  assert.equal(goesOnWithoutUserConfig(NOT_FOUND, look()), false);
  assert.equal(
    goesOnWithoutUserConfig(NOT_FOUND, look("none", "folder_missing", "not_looked_at")),
    false,
  );
  const unreadable = new AppError("config.unreadable", "cannot read config");
  assert.equal(goesOnWithoutUserConfig(unreadable, look("found")), false);
});

Deno.test("withProjectConfigHints() names each project config left and the command that wraps it, before the hints it had", () => {
  const error = withProjectConfigHints(
    NOT_FOUND,
    [
      { path: "/w/0/.cursor/mcp.json", ungoverned: ["fs", "git"], problem: null },
      { path: "/w/1/.cursor/mcp.json", ungoverned: [], problem: "invalid JSON" },
    ],
    (path) => `thoth wrap-config --client cursor ${path}`,
  );
  assert.ok(isAppError(error, "config.not_found"));
  assert.equal(error.message, NOT_FOUND.message);
  assert.equal(error.exitCode, 1);
  assert.deepEqual(error.hints, [
    'the project config "/w/0/.cursor/mcp.json" has 2 stdio servers that run without thoth: ' +
    "fs, git; to wrap it, run: thoth wrap-config --client cursor /w/0/.cursor/mcp.json",
    'the project config "/w/1/.cursor/mcp.json" cannot be read: invalid JSON; fix it, then ' +
    "run: thoth wrap-config --client cursor /w/1/.cursor/mcp.json",
    ...NOT_FOUND.hints,
  ]);
});

Deno.test("withProjectConfigHints() leaves other errors, and a missing config with nothing left, as they are", () => {
  const wrap = (path: string) => `thoth wrap-config ${path}`;
  assert.equal(withProjectConfigHints(NOT_FOUND, [], wrap), NOT_FOUND);
  const other = new AppError("config.unreadable", "cannot read config");
  const left = [{ path: "/w/0/.cursor/mcp.json", ungoverned: ["fs"], problem: null }];
  assert.equal(withProjectConfigHints(other, left, wrap), other);
});
