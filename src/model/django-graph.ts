// The order Django applies migrations in: the dependency graph across apps (with
// run_before, __first__/__latest__ and swappable dependencies), squashed migrations
// resolved, ties broken by app label then name.
import type { DjangoMigrationFile, MigrationDependency, MigrationKey } from "../parse/django.js";
import type { UnparsedSql } from "../core/changes.js";

export interface PlannedMigration {
  migration: DjangoMigrationFile;
  /**
   * False for a migration whose effect another file already gives the database: a squashed
   * migration while every migration it replaces is present (production applied those, and
   * Django then records the squash as applied without running it), or a replaced migration
   * once some of its siblings are gone and the squash stands for them.
   */
  replay: boolean;
}

export interface MigrationPlan {
  order: PlannedMigration[];
  problems: UnparsedSql[];
}

const keyOf = (app: string, name: string): string => `${app}.${name}`;
const compareMigrations = (a: DjangoMigrationFile, b: DjangoMigrationFile): number =>
  a.appLabel === b.appLabel ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.appLabel < b.appLabel ? -1 : 1;

export function planMigrations(migrations: readonly DjangoMigrationFile[], authUserModel: string): MigrationPlan {
  const problems: UnparsedSql[] = [];
  const problem = (migration: DjangoMigrationFile, reason: string): void => {
    problems.push({ loc: { file: migration.file, line: 1 }, reason, context: "migration" });
  };
  const nodes = new Map<string, DjangoMigrationFile>();
  for (const migration of migrations) {
    const key = keyOf(migration.appLabel, migration.name);
    if (nodes.has(key)) problem(migration, `a second migration named ${key}: Django would refuse to load both`);
    else nodes.set(key, migration);
  }
  const { skipped, aliases } = resolveSquashes(nodes);
  const apps = new Set([...nodes.values()].map((migration) => migration.appLabel));
  const parents = new Map<string, Set<string>>([...nodes.keys()].map((key) => [key, new Set<string>()]));
  const resolve = (dependency: MigrationDependency): string[] => {
    const key = "setting" in dependency ? swappableKey(dependency.setting, authUserModel) : dependency;
    if (!key || !apps.has(key.app)) return [];
    if (key.name === "__first__" || key.name === "__latest__") return endOfApp(nodes, key.app, key.name === "__first__");
    const full = keyOf(key.app, key.name);
    return aliases.get(full) ?? (nodes.has(full) ? [full] : []);
  };
  for (const [key, migration] of nodes) {
    for (const dependency of migration.dependencies) {
      const resolved = resolve(dependency);
      if (resolved.length === 0 && !("setting" in dependency) && apps.has(dependency.app) && !dependency.name.startsWith("__")) {
        problem(migration, `depends on ${dependency.app}.${dependency.name}, which is not among the migrations`);
      }
      for (const parent of resolved) if (parent !== key) parents.get(key)?.add(parent);
    }
    for (const later of migration.runBefore) {
      for (const child of resolve(later)) if (child !== key) parents.get(child)?.add(key);
    }
  }
  const order = topologicalOrder(nodes, parents, (migration) => problem(migration, "is part of a circular dependency; applied in name order"));
  return { order: order.map((migration) => ({ migration, replay: !skipped.has(migration) })), problems };
}

function swappableKey(setting: string, authUserModel: string): MigrationKey | undefined {
  if (setting !== "AUTH_USER_MODEL") return undefined;
  return { app: authUserModel.slice(0, authUserModel.lastIndexOf(".")), name: "__first__" };
}

/** `__first__`: the app's root migration; `__latest__`: its leaf. */
function endOfApp(nodes: Map<string, DjangoMigrationFile>, app: string, first: boolean): string[] {
  const ofApp = [...nodes.values()].filter((migration) => migration.appLabel === app).sort(compareMigrations);
  const inApp = (dependency: MigrationDependency): boolean => !("setting" in dependency) && dependency.app === app && nodes.has(keyOf(app, dependency.name));
  const dependedOn = new Set(ofApp.flatMap((migration) => migration.dependencies.filter(inApp).map((dependency) => "name" in dependency ? dependency.name : "")));
  const end = first
    ? ofApp.find((migration) => !migration.dependencies.some(inApp))
    : [...ofApp].reverse().find((migration) => !dependedOn.has(migration.name));
  return end ? [keyOf(app, end.name)] : [];
}

function resolveSquashes(nodes: Map<string, DjangoMigrationFile>): { skipped: Set<DjangoMigrationFile>; aliases: Map<string, string[]> } {
  const skipped = new Set<DjangoMigrationFile>();
  const aliases = new Map<string, string[]>();
  for (const [key, squash] of nodes) {
    if (squash.replaces.length === 0) continue;
    const replaced = squash.replaces.map((replacedKey) => keyOf(replacedKey.app, replacedKey.name));
    const present = replaced.filter((replacedKey) => nodes.has(replacedKey));
    if (present.length === replaced.length) {
      skipped.add(squash);
      aliases.set(key, present);
    } else {
      for (const replacedKey of replaced) {
        const migration = nodes.get(replacedKey);
        if (migration) skipped.add(migration);
        aliases.set(replacedKey, [key]);
      }
    }
  }
  return { skipped, aliases };
}

/** Kahn's algorithm taking the smallest ready migration first; a cycle is broken at its smallest member. */
function topologicalOrder(
  nodes: Map<string, DjangoMigrationFile>,
  parents: Map<string, Set<string>>,
  onCycle: (migration: DjangoMigrationFile) => void,
): DjangoMigrationFile[] {
  const waiting = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const [key, keyParents] of parents) {
    waiting.set(key, keyParents.size);
    for (const parent of keyParents) children.set(parent, [...(children.get(parent) ?? []), key]);
  }
  const byMigration = (a: string, b: string): number => compareMigrations(nodes.get(a) as DjangoMigrationFile, nodes.get(b) as DjangoMigrationFile);
  const ready = [...waiting].filter(([, count]) => count === 0).map(([key]) => key).sort(byMigration);
  const done = new Set<string>();
  const order: DjangoMigrationFile[] = [];
  while (done.size < nodes.size) {
    let key = ready.shift();
    if (key === undefined) {
      key = [...nodes.keys()].filter((candidate) => !done.has(candidate)).sort(byMigration)[0];
      if (key === undefined) break;
      onCycle(nodes.get(key) as DjangoMigrationFile);
    }
    if (done.has(key)) continue;
    done.add(key);
    order.push(nodes.get(key) as DjangoMigrationFile);
    for (const child of children.get(key) ?? []) {
      const count = (waiting.get(child) ?? 0) - 1;
      waiting.set(child, count);
      if (count === 0 && !done.has(child)) {
        const at = ready.findIndex((other) => byMigration(child, other) < 0);
        ready.splice(at < 0 ? ready.length : at, 0, child);
      }
    }
  }
  return order;
}
