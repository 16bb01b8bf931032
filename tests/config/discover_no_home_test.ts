/**
 * Without a home folder (HOME unset; USERPROFILE on Windows), client
 * discovery looks for no config and says why, once; the environment is
 * injected, so no test reads the real home folder.
 */
import assert from "node:assert/strict";
// As a namespace: each test fails on its own where the code lacks what it checks.
import * as discovery from "../../src/config/discover_client_configs.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test("discovery.missingHomeVariable() names the variable the clients' home folder comes from", () => {
  assert.equal(discovery.missingHomeVariable({}, "linux"), "HOME");
  assert.equal(discovery.missingHomeVariable({ HOME: "" }, "darwin"), "HOME");
  assert.equal(discovery.missingHomeVariable({ HOME: "/home/ana" }, "linux"), null);
  assert.equal(discovery.missingHomeVariable({}, "windows"), "USERPROFILE");
  assert.equal(discovery.missingHomeVariable({ USERPROFILE: "C:\\Users\\ana" }, "windows"), null);
  assert.equal(discovery.missingHomeVariable({ HOME: "C:\\Users\\ana" }, "windows"), null);
});

Deno.test("discoverClientPlaces() without HOME looks nowhere and says that HOME is not set", async () => {
  const found = await discovery.discoverClientPlaces({ env: {}, os: "linux" });
  assert.deepEqual(found.configs, []);
  assert.deepEqual(found.places, []);
  assert.match(
    found.notChecked[0] ?? "",
    /^every client's user config \(claude-desktop, [^)]*\): HOME is not set, so the home folder they are in is not known$/,
  );
  assert.equal(found.notChecked.filter((n) => /HOME is not set/.test(n)).length, 1);
});

Deno.test("discoverClientPlaces() with HOME looks at each client's config there", async () => {
  const home = await tempFolder("thoth-discover-");
  const found = await discovery.discoverClientPlaces({ env: { HOME: home }, os: "linux" });
  assert.ok(found.places.length > 0);
  assert.ok(found.places.every((p) => p.path.startsWith(`${home}/`)), JSON.stringify(found.places));
  assert.ok(found.notChecked.every((n) => !/HOME is not set/.test(n)));
});
