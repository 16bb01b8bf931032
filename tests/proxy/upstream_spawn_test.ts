import assert from "node:assert/strict";
import {
  explainSpawnError,
  loaderVariables,
  setsLoaderVariable,
  spawnFailureText,
} from "../../src/proxy/upstream_spawn.ts";

/** Deno's refusal to spawn under a scoped run grant with these variables set. */
function refusal(names: string): Deno.errors.NotCapable {
  const plural = names.includes(",");
  return new Deno.errors.NotCapable(
    `Requires --allow-run permissions to spawn subprocess with ${names} environment ` +
      `variable${plural ? "s" : ""}. Alternatively, spawn with ${
        plural ? "these environment variables" : "the environment variable"
      } unset.`,
  );
}

Deno.test("loaderVariables() reads the variables Deno names, one or several", () => {
  assert.deepEqual(loaderVariables(refusal("LD_PRELOAD").message), ["LD_PRELOAD"]);
  assert.deepEqual(
    loaderVariables(refusal("DYLD_INSERT_LIBRARIES, LD_LIBRARY_PATH").message),
    ["DYLD_INSERT_LIBRARIES", "LD_LIBRARY_PATH"],
  );
  assert.deepEqual(loaderVariables('Requires run access to "/bin/sh"'), []);
});

Deno.test("explainSpawnError() names the loader variable, why, and how to unset it", () => {
  const one = explainSpawnError("/usr/bin/node", refusal("LD_PRELOAD"));
  assert.equal(one.code, "upstream.loader_env");
  assert.equal(one.exitCode, 126);
  assert.match(
    one.message,
    /^cannot start the MCP server "\/usr\/bin\/node": its environment sets LD_PRELOAD, which tells the system's loader/,
  );
  assert.match(
    one.message,
    /only under a permission to run any program \(--allow-run without a list\), and thoth was not given one$/,
  );
  assert.deepEqual(one.hints, [
    "run thoth with its manifest permission set (-P=thoth), as release binaries are",
    'or unset LD_PRELOAD for this server: remove it from the "env" of this server in the MCP ' +
    "client's config, or from the environment thoth is started in (unset LD_PRELOAD)",
  ]);
  const two = explainSpawnError("node", refusal("LD_LIBRARY_PATH, LD_PRELOAD"));
  assert.match(two.message, /sets LD_LIBRARY_PATH, LD_PRELOAD, which tell /);
  assert.match(two.hints[1]!, /remove them from .*\(unset LD_LIBRARY_PATH LD_PRELOAD\)$/);
  // Any other refusal of the sandbox stays what it was.
  const other = explainSpawnError(
    "node",
    new Deno.errors.NotCapable('Requires run access to "node"'),
  );
  assert.equal(other.code, "upstream.not_permitted");
});

Deno.test("spawnFailureText() tells the client of a loader variable without its value or a path", () => {
  const text = spawnFailureText("upstream.loader_env", "/opt/tools/node");
  assert.match(
    text,
    /^thoth could not start the MCP server "node": its environment sets a variable of the dynamic loader/,
  );
  assert.doesNotMatch(text, /\/opt/);
});

Deno.test("setsLoaderVariable() finds LD_* and DYLD_* names in any case, and nothing else", () => {
  assert.equal(setsLoaderVariable(["PATH", "LD_LIBRARY_PATH"]), true);
  assert.equal(setsLoaderVariable(["ld_bind_now"]), true);
  assert.equal(setsLoaderVariable(["Dyld_Insert_Libraries"]), true);
  assert.equal(setsLoaderVariable(["PATH", "OLD_PWD", "LDFLAGS", "MY_LD_PATH"]), false);
});

Deno.test("a command that looks like a key is shown by fingerprint, to the client and on stderr", () => {
  const key = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
  const wire = spawnFailureText("upstream.not_found", key);
  assert.match(
    wire,
    /^thoth could not start the MCP server: command \(value hidden: it looks like a key or token, fingerprint [^)]+\) was not found/,
  );
  assert.doesNotMatch(wire, /ghp_|abcdefghij/);
  for (const error of [new Deno.errors.NotFound("x"), new Deno.errors.PermissionDenied("x")]) {
    const shown = explainSpawnError(key, error);
    const all = [shown.message, ...shown.hints].join("\n");
    assert.match(all, /value hidden/);
    assert.doesNotMatch(all, /ghp_|abcdefghij/, shown.code);
  }
  const failed = explainSpawnError(key, new Error(`Failed to spawn '${key}': boom`));
  assert.doesNotMatch(failed.message, /ghp_|abcdefghij/);
  // A plain command is shown as it was.
  assert.match(
    spawnFailureText("upstream.not_found", "/usr/bin/node"),
    /command "node" was not found/,
  );
  assert.match(explainSpawnError("node", new Deno.errors.NotFound("x")).message, /command "node"/);
});
