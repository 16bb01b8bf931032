/**
 * A stand-in kdialog (none is installed here) that records each run's argv,
 * and what its text window read, with shell builtins only (and coreutils'
 * `stat` and `sleep` where asked).
 */

/** A coreutils program at its usual path (absent: none there). */
function coreutil(name: string): string | undefined {
  return [`/usr/bin/${name}`, `/bin/${name}`].find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  });
}

/** coreutils' stat, to record the modes the text window's file had (absent: not recorded). */
export const STAT = coreutil("stat");
/** coreutils' sleep, for a text window that stays open a while. */
export const SLEEP = coreutil("sleep") ?? "sleep";

/**
 * Writes a stand-in kdialog in `bin` that records its run number N's argv
 * in `run.N` (NUL-separated); for `--textbox FILE`, the file's text in
 * `run.N.file` and the modes of the file and its folder in `run.N.mode`,
 * then makes `run.N.open` (all is recorded), runs `pause` (shell words, such as `exec sleep 30`: the window
 * stays open), then exits `textboxCode`; for the choice, prints `choice`.
 */
export async function standIn(
  bin: string,
  textboxCode: number,
  choice: string,
  pause = ":",
): Promise<void> {
  const stat = STAT === undefined
    ? ":"
    : `'${STAT}' -c '%a' "$a" > "$out.mode"; '${STAT}' -c '%a' "\${a%/*}" >> "$out.mode"`;
  const script = `#!/bin/sh
n=0
while [ -e '${bin}/run.'$n ]; do n=$((n+1)); done
out='${bin}/run.'$n
printf '%s\\0' "$@" > "$out"
prev=""
for a in "$@"; do
  if [ "$prev" = "--textbox" ]; then
    while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done < "$a" > "$out.file"
    ${stat}
    : > "$out.open"
    ${pause}
    exit ${textboxCode}
  fi
  prev="$a"
done
printf '%s' '${choice}'
exit 0
`;
  await Deno.writeTextFile(`${bin}/kdialog`, script, { mode: 0o755 });
}

/** The argv of the stand-in's run number `run`. */
export async function argv(bin: string, run: number): Promise<string[]> {
  return (await Deno.readTextFile(`${bin}/run.${run}`)).split("\0").filter((a) => a !== "");
}

/** Whether `path` exists. */
export function exists(path: string): Promise<boolean> {
  return Deno.stat(path).then(() => true, () => false);
}

/** Waits (at most `ms`) until `path` exists. */
export async function waitFor(path: string, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !(await exists(path));) {
    if (Date.now() > end) throw new Error(`${path} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
