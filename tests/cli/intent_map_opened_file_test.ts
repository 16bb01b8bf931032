/**
 * `thoth run`'s intent map (`mappedIntent`) is judged twice, as the policy
 * is: by its path, then its owner and mode on the file actually opened. A
 * map swapped in between (here one every user may write to, renamed over
 * the map) is refused with `intent_map.untrusted`, never read. Each run
 * swaps after a different number of turns of the event loop's microtask
 * queue, so one of them lands between the check by path and the open
 * whatever the number of steps in between.
 */
import assert from "node:assert/strict";
import { mappedIntent } from "../../src/cli/mapped_intent.ts";
import { isAppError } from "../../src/errors.ts";
import { tempFolder } from "../_temp_dirs.ts";

Deno.test({
  name: "mappedIntent() never reads an intent map swapped in after its path was judged",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const home = await tempFolder("thoth-intent-swap-");
    await Deno.chmod(home, 0o700);
    const map = `${home}/intent_map.json`;
    const swapped = `${home}/swapped.json`;
    let refused = 0;
    for (let turns = 0; turns <= 24; turns++) {
      Deno.writeTextFileSync(map, '{"s": "narrow"}\n');
      Deno.chmodSync(map, 0o600);
      Deno.writeTextFileSync(swapped, '{"s": "wide"}\n');
      Deno.chmodSync(swapped, 0o666); // every user may write to it: never to be trusted
      const found = mappedIntent(home, "s").then(
        (entry) => entry?.intent,
        (error: unknown) => error,
      );
      for (let i = 0; i < turns; i++) await Promise.resolve();
      Deno.renameSync(swapped, map);
      const result = await found;
      if (typeof result === "string") {
        // Read before the swap: the map as it was.
        assert.equal(result, "narrow", `swapped after ${turns} turns: the swapped map was read`);
      } else {
        assert.ok(isAppError(result, "intent_map.untrusted"), String(result));
        assert.match(result.message, /0666/);
        refused++;
      }
    }
    assert.ok(refused > 0, "no swap landed before the read");
  },
});
