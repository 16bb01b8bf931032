/** Where the VS Code family keeps its user folders and profiles, on each OS. */
import assert from "node:assert/strict";
import { vscodeUserFolders } from "../../src/config/vscode_user_places.ts";

Deno.test("vscodeUserFolders() follows each OS's per-user config folder", () => {
  assert.deepEqual(
    vscodeUserFolders({ os: "darwin", env: { HOME: "/Users/ana" } }).map((f) => f.profiles),
    [
      "/Users/ana/Library/Application Support/Code/User/profiles",
      "/Users/ana/Library/Application Support/Code - Insiders/User/profiles",
      "/Users/ana/Library/Application Support/VSCodium/User/profiles",
    ],
  );
  assert.deepEqual(
    vscodeUserFolders({
      os: "windows",
      env: { USERPROFILE: "C:\\Users\\ana", APPDATA: "C:\\Users\\ana\\AppData\\Roaming" },
    }).map((f) => f.user),
    [
      "C:\\Users\\ana\\AppData\\Roaming\\Code\\User",
      "C:\\Users\\ana\\AppData\\Roaming\\Code - Insiders\\User",
      "C:\\Users\\ana\\AppData\\Roaming\\VSCodium\\User",
    ],
  );
  assert.deepEqual(
    vscodeUserFolders({ os: "linux", env: { HOME: "/home/ana", XDG_CONFIG_HOME: "/x" } })
      .map((f) => f.user),
    ["/x/Code/User", "/x/Code - Insiders/User", "/x/VSCodium/User"],
  );
});
