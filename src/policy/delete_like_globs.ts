/**
 * The tool globs of the default policy's `delete-like` rule, built from its
 * word lists so every case form (snake, camelCase, UPPER) holds the same
 * words. A tool name is read as words: split at `_ - . /` and at a camelCase
 * capital, and a lower-case word that starts with a deleting word is that
 * word run together with what it deletes.
 *
 * - delete, remove, drop, destroy, purge and rm, and shred, expunge,
 *   flushdb, flushall and hdel, delete as a word of their own anywhere in the
 *   name (`delete_file`, `files/delete`, `bulkDelete`, `Remove-Item`,
 *   `imap_expunge`, `redis_flushdb`), and the first six at the start of a
 *   lower-case word run together with what they delete, first in the name or
 *   after a separator (`deletefile`, `s3_deletefile`, `rmdir`, `droptable`;
 *   not `deleted_items`, `droplet`, `remover`, `purgeable`), or last after
 *   bulk, batch, soft, force, hard, git or mass (`bulkdelete`, `gitrm`).
 * - prune, terminate, uninstall, erase, wipe, trash, unlink and del are also
 *   nouns or name read-only tools (`wipe_status`, `prune_preview`), so they
 *   delete as the whole name; before an object word, at once or after a
 *   qualifier that says which ones, all before another (`prune_images`,
 *   `terminate_ec2_instances`, `prune_unused_images`, `pruneOldImages`,
 *   `gmail_trashmessage`; not `trash_list_items`, `getTrashMetadata`, and not
 *   before history, log, event or token: `get_wipe_history`); or last after
 *   an object or tool word (`docker_prune`, `move_to_trash`, `gdrive_trash`,
 *   `redis_del`).
 * - rmi and rb delete last after their tool (`docker_rmi`, `s3_rb`); empty
 *   and flush last before what they clear (`empty_bucket`, `flush_cache`;
 *   not `is_empty`, `flush_logs`); truncate before table or file at the end
 *   (`truncate_table`), and `TRUNCATE` alone.
 *
 * The trade globs cannot avoid: a glob has no "unless", so a name whose
 * first word reads before one of the later words and an object word
 * (`list_trash_items`, `check_empty_queue`) is asked too, and
 * `removebackground` is asked as `remove_background` is. An approval away,
 * never a deletion unasked.
 *
 * @example
 * ```ts
 * const rule = { id: "delete-like", match: { tool: DELETE_LIKE_GLOBS }, decision: "step_up" };
 * ```
 */
import { AT_WORD, cap, either, list, SEP, upper } from "./tool_name_words.ts";

/** Words that delete wherever they stand as a word. */
const STRONG = [
  "delete",
  "remove",
  "drop",
  "destroy",
  "purge",
  "rm",
  "shred",
  "expunge",
  "flushdb",
  "flushall",
  "hdel",
];
/** Words that delete before or after an object word (alone, nouns or read-only names too). */
const LATER = ["prune", "terminate", "uninstall", "erase", "wipe", "trash", "unlink", "del"];
/** What a later word deletes: an object word (also plural with s or es). */
const OBJECTS = [
  "image",
  "container",
  "volume",
  "network",
  "system",
  "instance",
  "cluster",
  "node",
  "pod",
  "process",
  "job",
  "session",
  "vm",
  "server",
  "helm",
  "chart",
  "release",
  "package",
  "app",
  "plugin",
  "extension",
  "module",
  "disk",
  "drive",
  "device",
  "data",
  "database",
  "db",
  "bucket",
  "object",
  "blob",
  "file",
  "folder",
  "dir",
  "email",
  "mail",
  "message",
  "thread",
  "conversation",
  "chat",
  "item",
  "doc",
  "document",
  "page",
  "note",
  "task",
  "event",
  "row",
  "record",
  "history",
  "log",
  "account",
  "user",
  "member",
  "repo",
  "branch",
  "tag",
  "artifact",
  "cache",
  "backup",
  "snapshot",
  "table",
  "index",
  "collection",
  "stack",
  "deployment",
  "namespace",
  "workflow",
  "workspace",
  "project",
  "secret",
  "key",
  "token",
  "connection",
  "backend",
  "query",
  "all",
];
/**
 * Object words that, after a later word, read as its record rather than what
 * it deletes (`get_wipe_history`, `list_prune_logs`, `get_erase_token`): not
 * taken after a later word, still taken before one and after bulk and the others.
 */
const RECORDS = ["history", "log", "event", "token"];
/** What a later word deletes when its object comes after it. */
const LATER_OBJECTS = OBJECTS.filter((w) => !RECORDS.includes(w));
/**
 * Words that may stand between a later word and its object: they say which
 * ones, never read (`terminate_ec2_instances`, `prune_unused_images`,
 * `pruneOldImages`; not `trash_list_items` or `wipe_status_devices`). One, or `all`
 * and one.
 */
const QUALIFIERS = [
  "all",
  "unused",
  "old",
  "stale",
  "dangling",
  "orphaned",
  "orphan",
  "untagged",
  "expired",
  "inactive",
  "idle",
  "empty",
  "running",
  "stopped",
  "failed",
  "completed",
  "dead",
  "duplicate",
  "temp",
  "tmp",
  "local",
  "remote",
  "selected",
  "multiple",
  "docker",
];
/** Qualifiers that are initials, written in capitals in camelCase too (`terminateEC2Instances`). */
const INITIALS = ["ec2", "rds", "gce", "k8s"];
/** Words before a later word at the end that say what it deletes (`docker_prune`, `move_to_trash`). */
const TOOLS = [
  "docker",
  "podman",
  "kubectl",
  "git",
  "npm",
  "pip",
  "brew",
  "apt",
  "fs",
  "to",
  "empty",
  "force",
  "secure",
  "remote",
  "factory",
  "gdrive",
  "gmail",
  "outlook",
  "onedrive",
  "dropbox",
  "slack",
  "notion",
  "imap",
  "redis",
];
/** A word that deletes only last after the tool it belongs to (`docker_rmi`, `s3_rb`). */
const TOOL_LAST: readonly (readonly [string, string])[] = [
  ["docker", "rmi"],
  ["podman", "rmi"],
  ["nerdctl", "rmi"],
  ["s3", "rb"],
];
/**
 * What empty and flush clear, as the name's last word (`empty_bucket`,
 * `emptyBucket`, `flush_cache`; not `is_empty`, `empty_state`, `flush_logs`).
 */
const CLEARS: readonly (readonly [string, readonly string[]])[] = [
  ["empty", ["bucket", "trash", "bin", "queue", "mailbox", "inbox", "spam", "junk", "cache"]],
  ["flush", ["cache", "db", "database", "all", "queue"]],
];
/** Words before a strong word run together at the end of a lower-case word (`bulkdelete`). */
const BULK = ["bulk", "batch", "soft", "force", "hard", "git", "mass"];

const laterObjectsEither = list(LATER_OBJECTS.map(either));
const beforeLast = [...OBJECTS, ...TOOLS];
/** After an object word: its plural, then the end or another word. */
const OBJECT_END = "{,s,es}{,[-_./A-Z0-9]**}";
/** A qualifier after a separator (`unused_`) or in camelCase (`Old`, `Ec2`, `EC2`). */
const QUALIFIER = list([
  "",
  ...[...QUALIFIERS, ...INITIALS].map((w) => `${w}${SEP}`),
  ...QUALIFIERS.map(cap),
  ...INITIALS.flatMap((w) => [cap(w), upper(w)]),
]);
const QUALIFIER_UPPER = list(["", ...[...QUALIFIERS, ...INITIALS].map((w) => `${upper(w)}${SEP}`)]);
/**
 * Between a later word and its object: nothing or a separator, then a
 * qualifier, all before another one (`gmail_trashmessage`, `prune_images`,
 * `terminate_ec2_instances`, `pruneOldImages`, `prune_all_unused_images`); never
 * another word (not `trash_list_items`, `getTrashMetadata`).
 */
const BETWEEN = `{,${SEP}}{,all${SEP},All}${QUALIFIER}`;

/** The `delete-like` rule's tool globs, in the order the default policy writes them. */
export const DELETE_LIKE_GLOBS: readonly string[] = [
  // A strong word as a word of its own.
  `${AT_WORD}${list(STRONG)}{,[-_./A-Z]**}`,
  `**${list(STRONG.map(cap))}{,[-_./A-Z]**}`,
  `${AT_WORD}${list(STRONG.map(upper))}{,${SEP}**}`,
  // A later word as the whole name, and TRUNCATE (SQL's).
  list([...LATER.flatMap((w) => [w, cap(w), upper(w)]), "TRUNCATE"]),
  // A later word before an object word, at once or after a qualifier (not getTrashMetadata).
  `${AT_WORD}${list(LATER)}${BETWEEN}${laterObjectsEither}${OBJECT_END}`,
  `**${list(LATER.map(cap))}${BETWEEN}${laterObjectsEither}${OBJECT_END}`,
  `${AT_WORD}${list(LATER.map(upper))}${SEP}{,ALL${SEP}}${QUALIFIER_UPPER}` +
  `${list(LATER_OBJECTS.map(upper))}{,S,ES}{,[-_./0-9]**}`,
  // A later word last, after an object or tool word that starts a word.
  `${AT_WORD}${list(beforeLast)}{,s,es}${list([...LATER.map((w) => SEP + w), ...LATER.map(cap)])}`,
  `**${list(beforeLast.map(cap))}{,s,es}${list(LATER.map(cap))}`,
  `${AT_WORD}${list(beforeLast.map(upper))}{,S,ES}${SEP}${list(LATER.map(upper))}`,
  // A word last after the tool it belongs to.
  `${AT_WORD}${list(TOOL_LAST.map(([tool, w]) => `${tool}${SEP}${w}`))}`,
  `**${list(TOOL_LAST.map(([tool, w]) => `${either(tool)}${cap(w)}`))}`,
  `${AT_WORD}${list(TOOL_LAST.map(([tool, w]) => `${upper(tool)}${SEP}${upper(w)}`))}`,
  // empty and flush last before what they clear.
  `${AT_WORD}${
    list(CLEARS.flatMap(([w, what]) => what.flatMap((o) => [w + o, w + SEP + o, w + cap(o)])))
  }`,
  `**${list(CLEARS.flatMap(([w, what]) => what.map((o) => cap(w) + cap(o))))}`,
  `${AT_WORD}${list(CLEARS.flatMap(([w, what]) => what.map((o) => upper(w) + SEP + upper(o))))}`,
  // A strong word last in a lower-case word, after bulk and the others, alone or before an object.
  `${AT_WORD}${list(BULK)}{delete,remove,destroy,purge,rm}`,
  `${AT_WORD}${list(BULK)}{delete,remove,destroy,purge,rm}{,${SEP}}${list(OBJECTS.map(either))}` +
  OBJECT_END,
  // A strong word run together with what it deletes, at the start of a lower-case word:
  // not with an ending of its own (deleted, remover, deletes, destroyed, droplet, purgeable).
  `${AT_WORD}{delete,remove,purge}[b-ce-qt-z]**`,
  `${AT_WORD}{delete,remove,destroy,purge}a{,[!b]**,b[!l]**}`,
  `${AT_WORD}{delete,remove,destroy,purge}[rs][a-z]**`,
  `${AT_WORD}destroy[b-df-qt-z]**`,
  `${AT_WORD}{delete,remove,purge}d{ata,ir,isk,evice,ocument,omain,eployment,ashboard,` +
  "istribution,etector,raft,ns,roplet,lq,eadletter,estination}**",
  `${AT_WORD}{delete,remove,purge}db{,instance**,cluster**,snapshot**,proxy**,[-_./A-Z]**}`,
  `${AT_WORD}drop{table,db,database,index,collection,schema,view,user,column,topic,queue,` +
  "keyspace,role,function,procedure,trigger}**",
  `${AT_WORD}rm{dir,file,tree,rf}**`,
  // truncate before table or file at the end.
  "**{truncate,Truncate}{,[-_./]}{table,file,Table,File}{,s}",
  "**TRUNCATE[-_./]{TABLE,FILE}{,S}",
];
