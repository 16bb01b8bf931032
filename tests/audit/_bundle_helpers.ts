// Helpers for the bundle and signing-key tests: export a sample log, and the
// edits an attacker would make to a bundle or a keys file.
import { exportBundle } from "../../src/audit/export_bundle.ts";
import { fromBase64, toBase64, toHex } from "../../src/audit/encoding.ts";
import { leafHash } from "../../src/audit/merkle_hash.ts";
import { checkpointName } from "../../src/audit/log_paths.ts";
import { noteKeyHash, type NoteSigner, noteVerifierKey } from "../../src/audit/signed_note.ts";
import { keyRotationMessage } from "../../src/audit/record.ts";
import { readLines, rechain, writeLines } from "./_log_helpers.ts";
import { tempFolder } from "../_temp_dirs.ts";

/** Exports the log under `home` to a fresh folder; returns the folder. */
export async function exportSample(
  home: string,
  period: { since?: string; until?: string } = {},
): Promise<string> {
  const output = await tempFolder("thoth-bundle-");
  await exportBundle(home, {
    output,
    now: new Date("2026-03-02T00:00:00Z"),
    ...(period.since !== undefined ? { since: new Date(period.since) } : {}),
    ...(period.until !== undefined ? { until: new Date(period.until) } : {}),
  });
  return output;
}

/** The path of a bundle's one records file. */
export function bundleRecords(dir: string): string {
  const name = [...Deno.readDirSync(`${dir}/records`)].map((e) => e.name)[0];
  if (name === undefined) throw new Error(`no records in ${dir}`);
  return `${dir}/records/${name}`;
}

/** The manifest of a bundle. */
export async function readManifest(dir: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
}

/** Rewrites a manifest with `edit`, then lists every file with its new hash, as a forger would. */
export async function rewriteManifest(
  dir: string,
  edit: (manifest: Record<string, unknown>) => void = () => {},
): Promise<void> {
  const manifest = await readManifest(dir);
  const files = [];
  for (const sub of ["records", "checkpoints", "keys"]) {
    for (const name of [...Deno.readDirSync(`${dir}/${sub}`)].map((e) => e.name).sort()) {
      const bytes = await Deno.readFile(`${dir}/${sub}/${name}`);
      files.push({ path: `${sub}/${name}`, sha256: await sha256Hex(bytes), bytes: bytes.length });
    }
  }
  // The README too: a file the manifest does not list is reported on its own.
  const readme = await Deno.readFile(`${dir}/README.md`).catch(() => undefined);
  if (readme !== undefined) {
    files.push({ path: "README.md", sha256: await sha256Hex(readme), bytes: readme.length });
  }
  manifest["files"] = files;
  edit(manifest);
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

/**
 * Recomputes `seq` (when `renumber`) and `prev` of a bundle's lines from its
 * start, as an attacker without any key would.
 */
export async function rechainBundle(
  lines: readonly string[],
  start: { size: number; prev: string },
  renumber = true,
): Promise<string[]> {
  const out: string[] = [];
  let prev = start.prev;
  for (const [i, line] of lines.entries()) {
    const record = JSON.parse(line);
    if (renumber) record.seq = start.size + i;
    record.prev = prev;
    const text = JSON.stringify(record);
    out.push(text);
    prev = toHex(await leafHash(new TextEncoder().encode(text)));
  }
  return out;
}

/** The device's own signing key, as an attacker on the device can read it. */
export async function deviceSigner(home: string): Promise<NoteSigner> {
  const key = JSON.parse(await Deno.readTextFile(`${home}/keys/audit-signing.key`));
  const privateKey = await crypto.subtle.importKey(
    "pkcs8",
    fromBase64(key.pkcs8)!,
    "Ed25519",
    false,
    ["sign"],
  );
  return { name: key.name, privateKey, publicKey: fromBase64(key.publicKey)! };
}

/** Appends a key to a keys file, the way the device lists its keys. */
export async function appendKey(keysPath: string, signer: NoteSigner): Promise<void> {
  const keys = JSON.parse(await Deno.readTextFile(keysPath));
  keys.push({
    name: signer.name,
    keyHash: await noteKeyHash(signer.name, signer.publicKey),
    publicKey: toBase64(signer.publicKey),
    verifierKey: await noteVerifierKey(signer.name, signer.publicKey),
    created: "2026-03-01T09:00:00.000Z",
  });
  await Deno.writeTextFile(keysPath, JSON.stringify(keys, null, 2) + "\n");
}

/**
 * Changes a tool name in every record from `from` on, recomputes the chain
 * and re-signs every checkpoint with `signer`; the checkpoint files in
 * `checkpointsDir` are replaced by the new notes. For a log or a bundle that
 * starts at seq 0.
 */
export async function forgeAndResign(
  segment: string,
  checkpointsDir: string,
  signer: NoteSigner,
  from = 0,
): Promise<void> {
  const lines = (await readLines(segment)).map((line, i) =>
    i >= from ? line.replace('"tool":"write_file"', '"tool":"delete_everything"') : line
  );
  const out = await rechain(lines, 0, { resign: signer });
  await writeLines(segment, out);
  for (const entry of [...Deno.readDirSync(checkpointsDir)]) {
    await Deno.remove(`${checkpointsDir}/${entry.name}`);
  }
  for (const line of out) {
    const record = JSON.parse(line);
    if (record.type === "checkpoint") {
      await Deno.writeTextFile(`${checkpointsDir}/${checkpointName(record.size)}`, record.note);
    }
  }
}

/**
 * A key_rotation record "at seq 0" in which `signer` endorses `device` (an
 * entry of a keys file): what an attacker carries beside a bundle's records
 * to pass the device's trust back to a key of its own.
 */
export async function forgedRotation(
  signer: NoteSigner,
  device: { keyHash: string; verifierKey: string },
): Promise<Record<string, unknown>> {
  const endorsement = new Uint8Array(
    await crypto.subtle.sign(
      "Ed25519",
      signer.privateKey,
      new TextEncoder().encode(keyRotationMessage(device.verifierKey)),
    ),
  );
  return {
    v: 1,
    seq: 0,
    ts: "2026-03-01T09:00:00.000Z",
    prev: "0".repeat(64),
    type: "key_rotation",
    oldKeyHash: await noteKeyHash(signer.name, signer.publicKey),
    newKeyHash: device.keyHash,
    newVerifierKey: device.verifierKey,
    endorsement: toBase64(endorsement),
  };
}

/**
 * Turns a bundle into one as an older thoth wrote it ("thoth-audit-bundle/1"):
 * no export.note, and a README.md (listed in the manifest) that says nothing
 * of one.
 */
export async function asOlderBundle(dir: string): Promise<void> {
  await Deno.remove(`${dir}/export.note`).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  const readme = new TextEncoder().encode(
    "# thoth audit evidence bundle\n\nCheck it with thoth audit verify --bundle <this folder>.\n",
  );
  await Deno.writeFile(`${dir}/README.md`, readme);
  // rewriteManifest lists the README with its hash.
  await rewriteManifest(dir, (m) => {
    m["format"] = "thoth-audit-bundle/1";
  });
}
