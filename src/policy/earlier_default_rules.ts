/**
 * Rules a policy still holds as an earlier release's default policy wrote
 * them, where the current default changed for a reason its admin should
 * know. A profile keeps the `policy.jsonc` its first `thoth run` wrote, so a
 * machine set up before a change keeps the earlier rule until someone takes
 * the new one. Today two rules. `command-runners` is missing from a policy
 * an earlier default wrote (it holds the default's `reads` and `destructive`
 * rules, whatever its `delete-like` holds, and no rule of that id, enabled
 * or not): a tool that runs shell commands or code (`run_command`, `shell`) is
 * allowed unasked there. `delete-like`: Its first globs matched delete,
 * remove, drop, destroy and purge inside other words (a read-only
 * `dropbox_list_folder` or `get_dropdown_options` got its verdict); the next
 * matched them, and rm, only as whole words, so a lower-case name run
 * together (`deletefile`, `rmdir`, `bulkdelete`) and a name with another word
 * (`docker_prune`, `terminate_instances`) got none; the one after that took
 * those but not a name run together after a prefix (`s3_deletefile`) or an
 * object word words later (`terminate_ec2_instances`); the current default
 * matches such names too.
 *
 * A rule is noted only when its id is the default's and its tool globs are
 * exactly an earlier default's (in any order): a rule an admin rewrote is
 * theirs. A disabled rule decides nothing and is not noted; a disabled
 * `command-runners` is an admin's choice and silences its note. Pure.
 *
 * @example
 * ```ts
 * const notes = earlierDefaultRules(parsePolicy(text, "policy.jsonc"));
 * notes[0]?.rule; // "delete-like"
 * ```
 */
import type { Policy } from "./policy_schema.ts";

/**
 * The tool globs of the `delete-like` rule from the release that matched its
 * words only whole (`delete_file`, `bulkDelete`, `git_rm`) up to the one
 * before this: a lower-case name run together (`deletefile`, `bulkdelete`)
 * and prune, terminate and the other words it never had got no verdict.
 */
const WHOLE_WORDS_ONLY: readonly string[] = [
  "{delete,remove,drop,destroy,purge,rm}",
  "{delete,remove,drop,destroy,purge,rm}[-_./A-Z]**",
  "**[-_./]{delete,remove,drop,destroy,purge,rm}",
  "**[-_./]{delete,remove,drop,destroy,purge,rm}[-_./A-Z]**",
  "**{Delete,Remove,Drop,Destroy,Purge,Rm}",
  "**{Delete,Remove,Drop,Destroy,Purge,Rm}[-_./A-Z]**",
  "{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}",
  "{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}[-_./]**",
  "**[-_./]{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}",
  "**[-_./]{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}[-_./]**",
];

/**
 * The tool globs of the `delete-like` rule from the release that first took
 * names run together and the later words (prune, terminate and the others):
 * a name run together after a prefix (`s3_deletefile`) and a later word whose
 * object word comes words later or was off its list (`terminate_ec2_instances`,
 * `prune_unused_images`, `terminate_workflow`) got no verdict.
 */
const RUN_TOGETHER_AT_START: readonly string[] = [
  "{,**[-_./]}{delete,remove,drop,destroy,purge,rm}{,[-_./A-Z]**}",
  "**{Delete,Remove,Drop,Destroy,Purge,Rm}{,[-_./A-Z]**}",
  "{,**[-_./]}{DELETE,REMOVE,DROP,DESTROY,PURGE,RM}{,[-_./]**}",
  "{prune,terminate,uninstall,erase,wipe,trash,unlink,Prune,Terminate,Uninstall,Erase,Wipe,Trash,Unlink,PRUNE,TERMINATE,UNINSTALL,ERASE,WIPE,TRASH,UNLINK}",
  "{,**[-_./]}{prune,terminate,uninstall,erase,wipe,trash,unlink}{,[-_./]}{[iI]mage,[cC]ontainer,[vV]olume,[nN]etwork,[sS]ystem,[iI]nstance,[cC]luster,[nN]ode,[pP]od,[pP]rocess,[jJ]ob,[sS]ession,[vV]m,[sS]erver,[hH]elm,[cC]hart,[rR]elease,[pP]ackage,[aA]pp,[pP]lugin,[dD]isk,[dD]rive,[dD]evice,[dD]ata,[fF]ile,[fF]older,[dD]ir,[eE]mail,[mM]essage,[tT]hread,[iI]tem,[dD]oc,[pP]age,[rR]ow,[rR]ecord,[aA]ccount,[uU]ser,[rR]epo,[bB]ranch,[cC]ache,[bB]ackup,[sS]napshot,[tT]able,[aA]ll}{,s,es}{,[-_./A-Z0-9]**}",
  "**{Prune,Terminate,Uninstall,Erase,Wipe,Trash,Unlink}{,[-_./]}{[iI]mage,[cC]ontainer,[vV]olume,[nN]etwork,[sS]ystem,[iI]nstance,[cC]luster,[nN]ode,[pP]od,[pP]rocess,[jJ]ob,[sS]ession,[vV]m,[sS]erver,[hH]elm,[cC]hart,[rR]elease,[pP]ackage,[aA]pp,[pP]lugin,[dD]isk,[dD]rive,[dD]evice,[dD]ata,[fF]ile,[fF]older,[dD]ir,[eE]mail,[mM]essage,[tT]hread,[iI]tem,[dD]oc,[pP]age,[rR]ow,[rR]ecord,[aA]ccount,[uU]ser,[rR]epo,[bB]ranch,[cC]ache,[bB]ackup,[sS]napshot,[tT]able,[aA]ll}{,s,es}{,[-_./A-Z0-9]**}",
  "{,**[-_./]}{PRUNE,TERMINATE,UNINSTALL,ERASE,WIPE,TRASH,UNLINK}[-_./]{IMAGE,CONTAINER,VOLUME,NETWORK,SYSTEM,INSTANCE,CLUSTER,NODE,POD,PROCESS,JOB,SESSION,VM,SERVER,HELM,CHART,RELEASE,PACKAGE,APP,PLUGIN,DISK,DRIVE,DEVICE,DATA,FILE,FOLDER,DIR,EMAIL,MESSAGE,THREAD,ITEM,DOC,PAGE,ROW,RECORD,ACCOUNT,USER,REPO,BRANCH,CACHE,BACKUP,SNAPSHOT,TABLE,ALL}{,S,ES}{,[-_./0-9]**}",
  "{,**[-_./]}{image,container,volume,network,system,instance,cluster,node,pod,process,job,session,vm,server,helm,chart,release,package,app,plugin,disk,drive,device,data,file,folder,dir,email,message,thread,item,doc,page,row,record,account,user,repo,branch,cache,backup,snapshot,table,all,docker,git,npm,pip,brew,apt,fs,to,empty,force,secure,remote,factory}{,s,es}[-_./]{prune,terminate,uninstall,erase,wipe,trash,unlink}",
  "**{[iI]mage,[cC]ontainer,[vV]olume,[nN]etwork,[sS]ystem,[iI]nstance,[cC]luster,[nN]ode,[pP]od,[pP]rocess,[jJ]ob,[sS]ession,[vV]m,[sS]erver,[hH]elm,[cC]hart,[rR]elease,[pP]ackage,[aA]pp,[pP]lugin,[dD]isk,[dD]rive,[dD]evice,[dD]ata,[fF]ile,[fF]older,[dD]ir,[eE]mail,[mM]essage,[tT]hread,[iI]tem,[dD]oc,[pP]age,[rR]ow,[rR]ecord,[aA]ccount,[uU]ser,[rR]epo,[bB]ranch,[cC]ache,[bB]ackup,[sS]napshot,[tT]able,[aA]ll,[dD]ocker,[gG]it,[nN]pm,[pP]ip,[bB]rew,[aA]pt,[fF]s,[tT]o,[eE]mpty,[fF]orce,[sS]ecure,[rR]emote,[fF]actory}{,s,es}{Prune,Terminate,Uninstall,Erase,Wipe,Trash,Unlink}",
  "{,**[-_./]}{IMAGE,CONTAINER,VOLUME,NETWORK,SYSTEM,INSTANCE,CLUSTER,NODE,POD,PROCESS,JOB,SESSION,VM,SERVER,HELM,CHART,RELEASE,PACKAGE,APP,PLUGIN,DISK,DRIVE,DEVICE,DATA,FILE,FOLDER,DIR,EMAIL,MESSAGE,THREAD,ITEM,DOC,PAGE,ROW,RECORD,ACCOUNT,USER,REPO,BRANCH,CACHE,BACKUP,SNAPSHOT,TABLE,ALL,DOCKER,GIT,NPM,PIP,BREW,APT,FS,TO,EMPTY,FORCE,SECURE,REMOTE,FACTORY}{,S,ES}[-_./]{PRUNE,TERMINATE,UNINSTALL,ERASE,WIPE,TRASH,UNLINK}",
  "{,**[-_./]}{bulk,batch,soft,force,hard,git,mass}{delete,remove,destroy,purge,rm}",
  "{,**[-_./]}{bulk,batch,soft,force,hard,git,mass}{delete,remove,destroy,purge,rm}{,[-_./]}{[iI]mage,[cC]ontainer,[vV]olume,[nN]etwork,[sS]ystem,[iI]nstance,[cC]luster,[nN]ode,[pP]od,[pP]rocess,[jJ]ob,[sS]ession,[vV]m,[sS]erver,[hH]elm,[cC]hart,[rR]elease,[pP]ackage,[aA]pp,[pP]lugin,[dD]isk,[dD]rive,[dD]evice,[dD]ata,[fF]ile,[fF]older,[dD]ir,[eE]mail,[mM]essage,[tT]hread,[iI]tem,[dD]oc,[pP]age,[rR]ow,[rR]ecord,[aA]ccount,[uU]ser,[rR]epo,[bB]ranch,[cC]ache,[bB]ackup,[sS]napshot,[tT]able,[aA]ll}{,s,es}{,[-_./A-Z0-9]**}",
  "{delete,remove,purge}[a-ce-qt-z]**",
  "{delete,remove,destroy,purge}[rs][a-z]**",
  "destroy[a-df-qt-z]**",
  "{delete,remove,purge}d{ata,ir,isk,evice,ocument,omain,eployment,ashboard,istribution,etector,raft,ns,roplet,lq,eadletter,estination}**",
  "{delete,remove,purge}db{,instance**,cluster**,snapshot**,proxy**,[-_./A-Z]**}",
  "drop{table,db,database,index,collection,schema,view,user,column,topic,queue,keyspace,role,function,procedure,trigger}**",
  "rm{dir,file,tree,rf}**",
  "**{truncate,Truncate}{,[-_./]}{table,file,Table,File}{,s}",
  "**TRUNCATE[-_./]{TABLE,FILE}{,S}",
];

/**
 * The tool globs of the `delete-like` rule in earlier default policies,
 * oldest first: the first releases' (case-sensitive, not across "/") and
 * those up to the whole-word rule, both matching the words inside other
 * words, then the whole-word rule's, then the first that took names run
 * together.
 */
export const EARLIER_DELETE_LIKE_GLOBS: readonly (readonly string[])[] = [
  ["*delete*", "*remove*", "*drop*", "*destroy*", "*purge*"],
  [
    "**[dD]elete**",
    "**DELETE**",
    "**[rR]emove**",
    "**REMOVE**",
    "**[dD]rop**",
    "**DROP**",
    "**[dD]estroy**",
    "**DESTROY**",
    "**[pP]urge**",
    "**PURGE**",
  ],
  WHOLE_WORDS_ONLY,
  RUN_TOGETHER_AT_START,
];

/** One rule an earlier default wrote, with what it does and how to take the current one. */
export interface EarlierDefaultRule {
  /** Always this code: for scripts reading `--json`. */
  code: "policy.earlier_default_rule";
  /** The rule's id. */
  rule: string;
  /** What the rule does that the current default's does not. */
  message: string;
  /** How to take the current default's rule. */
  remedy: string;
}

/** The same globs, order aside. */
function sameGlobs(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const left = [...a].sort();
  const right = [...b].sort();
  return left.every((glob, i) => glob === right[i]);
}

/**
 * Whether `policy` was written from a default policy before it had a
 * `command-runners` rule: it holds the default's `reads` and `destructive`
 * (whatever its `delete-like` holds), and no rule with that id at all.
 */
function lacksCommandRunners(policy: Policy): boolean {
  // The default's `reads` and `destructive` say a default policy wrote it, whatever its
  // `delete-like` holds now (an admin may have taken the current one, or written their own).
  const ids = new Set((policy.rules ?? []).map((r) => r.id));
  return !ids.has("command-runners") && ids.has("reads") && ids.has("destructive");
}

/** The rules of `policy` that are an earlier default's, each with a note. */
export function earlierDefaultRules(policy: Policy): EarlierDefaultRule[] {
  const found: EarlierDefaultRule[] = [];
  if (lacksCommandRunners(policy)) {
    found.push({
      code: "policy.earlier_default_rule",
      rule: "command-runners",
      message: "the policy is an earlier default policy's, which has no rule " +
        '"command-runners": a tool whose name says it runs shell commands or code (run_command, ' +
        "execute_command, shell, bash, ssh_exec, run_python_code) gets the policy's default " +
        `verdict (${policy.default}), and such a tool can do anything its user can, answering ` +
        "thoth's approval requests too",
      remedy: 'the current default\'s "command-runners" asks a person about such tools (not ' +
        'execute_query or get_terminal_output): print it with "thoth policy default --rule ' +
        'command-runners" (the whole policy: "thoth policy default"), paste it into "rules", ' +
        'then run "thoth policy check"; to keep such tools unasked, copy it with ' +
        '"enabled": false',
    });
  }
  for (const rule of policy.rules ?? []) {
    if (rule.id !== "delete-like" || rule.enabled === false) continue;
    const tool = rule.match.tool;
    if (tool === undefined) continue;
    const globs = typeof tool === "string" ? [tool] : tool;
    if (!EARLIER_DELETE_LIKE_GLOBS.some((earlier) => sameGlobs(globs, earlier))) continue;
    found.push({
      code: "policy.earlier_default_rule",
      rule: rule.id,
      message: sameGlobs(globs, RUN_TOGETHER_AT_START)
        ? `rule "delete-like" is an earlier default policy's: its globs take a name run ` +
          "together only at the start of the name and prune, terminate, uninstall, erase, " +
          "wipe, trash and unlink only right before an object word it lists, so names such " +
          "as s3_deletefile, terminate_ec2_instances, prune_unused_images and " +
          `terminate_workflow do not get its verdict (${rule.decision})`
        : sameGlobs(globs, WHOLE_WORDS_ONLY)
        ? `rule "delete-like" is an earlier default policy's: its globs match delete, remove, ` +
          "drop, destroy, purge and rm only as whole words, so a lower-case name run together " +
          "such as deletefile, purgecache, rmdir, droptable, deletedbinstance or bulkdelete, " +
          "and a name such as docker_prune, terminate_instances, helm_uninstall or " +
          `truncate_table, does not get its verdict (${rule.decision})`
        : `rule "delete-like" is an earlier default policy's: its globs match delete, ` +
          "remove, drop, destroy and purge inside other words, so tools such as " +
          "dropbox_list_folder, get_dropdown_options and list_deleted_files get its verdict " +
          `(${rule.decision}) too`,
      remedy: 'the current default\'s "delete-like" matches delete, remove, drop, destroy, ' +
        "purge and rm as whole words (delete_file, bulkDelete, DROP_TABLE), at the start of a " +
        "lower-case word run together (deletefile, s3_deletefile, rmdir, droptable; not " +
        "deleted_items) and " +
        "last after bulk, batch, soft, force, hard, git or mass (bulkdelete, gitrm); prune, " +
        "terminate, uninstall, erase, wipe, trash and unlink as the whole name, before an " +
        "object word, at once or after a qualifier such as unused or ec2, or after one " +
        "(prune_images, terminate_ec2_instances, docker_prune, move_to_trash; not list_trash " +
        "or wipe_status); and truncate before table or file at the end (truncate_table): print " +
        'it with "thoth policy default --rule delete-like" (the whole policy: "thoth policy ' +
        'default"), paste it over this one, then run "thoth policy check"',
    });
  }
  return found;
}
