/**
 * `thoth status`, `thoth doctor` and `thoth run` judge the intent map alike:
 * by its path, then its owner and mode again on the file actually opened. A
 * map swapped in between (here one every user may write to, renamed over a
 * private one) is refused by all three with run's `intent_map.untrusted`, in
 * its words; none of them reads what it says.
 *
 * `status` reads the map synchronously, so the swap is made by the open
 * itself: `Deno.openSync` is wrapped, for this test alone, to rename the
 * other map over the first one just before it opens it. The doctor awaits
 * between its two judgements, so, as `intent_map_opened_file_test.ts` does
 * for `run`, each round swaps after a different number of turns of the
 * microtask queue.
 */
import assert from "node:assert/strict";
import { inTempDir, THOTH, thoth } from "./_config_cli.ts";
import { mappedIntent } from "../../src/cli/mapped_intent.ts";
import { checkIntentMap } from "../../src/doctor/check_intent_map.ts";
import { isAppError } from "../../src/errors.ts";
import { testContext } from "../doctor/_helpers.ts";

/** One server, wrapped without --intent: its intent comes from the map. */
const CONFIG = JSON.stringify({
  mcpServers: {
    everything: {
      command: THOTH,
      args: ["run", "--agent-id", "everything", "--enforcement-mode", "block", "--", "npx", "x"],
    },
  },
});

/** The private map, and the one swapped in for it (every user may write to it). */
const NARROW = '{"everything": "calendar_management"}\n';
const WIDE = '{"everything": "phi_eligibility_check", "other": "calendar_management"}\n';

/** Writes the private map at `map` and the one to swap in at `swapped`. */
function writeMaps(map: string, swapped: string): void {
  Deno.writeTextFileSync(map, NARROW);
  Deno.chmodSync(map, 0o600);
  Deno.writeTextFileSync(swapped, WIDE);
  Deno.chmodSync(swapped, 0o666);
}

/**
 * Makes the next `Deno.openSync` of `target` rename `swapped` over it first
 * (once); disposing of the result puts `Deno.openSync` back.
 */
function swapOnOpen(target: string, swapped: string): Disposable {
  const open = Deno.openSync;
  const put = (value: typeof Deno.openSync) =>
    Object.defineProperty(Deno, "openSync", { value, writable: true, configurable: true });
  put((path, options) => {
    if (String(path) === target) {
      put(open);
      Deno.renameSync(swapped, target);
    }
    return open(path, options);
  });
  return { [Symbol.dispose]: () => void put(open) };
}

/** thoth run's refusal of the map swapped in as it opens it. */
async function runRefusal(profile: string, map: string, swapped: string): Promise<string> {
  writeMaps(map, swapped);
  using _swap = swapOnOpen(map, swapped);
  const refused = await mappedIntent(profile, "everything").then(
    (entry) => assert.fail(`thoth run read the map: ${JSON.stringify(entry)}`),
    (error: unknown) => error,
  );
  assert.ok(isAppError(refused, "intent_map.untrusted"), String(refused));
  assert.match(refused.message, /^not using the intent map ".*": it is 0666: /);
  return refused.message;
}

Deno.test({
  name: "thoth status refuses an intent map swapped in as it is opened, as thoth run does",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await inTempDir(async (dir) => {
      const profile = `${dir}/home/.thoth`;
      await Deno.mkdir(profile, { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(`${dir}/c.json`, CONFIG);
      const map = `${profile}/intent_map.json`;
      const swapped = `${profile}/swapped.json`;
      const words = await runRefusal(profile, map, swapped);

      writeMaps(map, swapped);
      {
        using _swap = swapOnOpen(map, swapped);
        const json = await thoth(["status", "--json", "--config", `${dir}/c.json`], { cwd: dir });
        const [row] = JSON.parse(json.out).servers;
        // Neither intent of either map: the map is refused, as thoth run refuses it.
        assert.equal(row.intent, null, json.out);
        assert.equal(row.refusals.length, 1, json.out);
        assert.ok(
          row.refusals[0].startsWith(`thoth run will refuse to start: ${words}`),
          row.refusals[0],
        );
      }
      writeMaps(map, swapped);
      {
        using _swap = swapOnOpen(map, swapped);
        const check = await thoth(["status", "--check", "--config", `${dir}/c.json`], {
          cwd: dir,
        });
        assert.equal(check.code, 1, check.out + check.err);
        assert.match(
          check.err,
          /^thoth: error: 1 governed server\(s\) that will not start: everything$/m,
        );
      }
    });
  },
});

Deno.test({
  name: "thoth doctor refuses an intent map swapped in after its path was judged, in run's words",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await inTempDir(async (dir) => {
      const profile = `${dir}/home/.thoth`;
      await Deno.mkdir(profile, { recursive: true, mode: 0o700 });
      const map = `${profile}/intent_map.json`;
      const swapped = `${profile}/swapped.json`;
      const words = await runRefusal(profile, map, swapped);
      let refused = 0;
      for (let turns = 0; turns <= 24; turns++) {
        writeMaps(map, swapped);
        const found = checkIntentMap(testContext(profile));
        for (let i = 0; i < turns; i++) await Promise.resolve();
        Deno.renameSync(swapped, map);
        const check = await found;
        if (check.status === "pass") {
          // Read before the swap: the private map, with its one server.
          assert.match(
            check.message,
            /: 1 server mapped(,|$)/,
            `swapped after ${turns} turns: ${check.message}`,
          );
        } else {
          assert.equal(check.status, "fail", check.message);
          assert.ok(check.message.startsWith(words), check.message);
          refused++;
        }
      }
      assert.ok(refused > 0, "no swap landed before the doctor opened the map");
    });
  },
});
