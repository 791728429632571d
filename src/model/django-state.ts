// Django's project state while replaying migrations: the models every migration so far
// declares, and the table and column names Django derives from them.
import type { ColumnDefinition, ForeignKeyTarget, TableConstraint } from "../core/changes.js";
import { columnName, SWAPPABLE_MARK, type DjangoField } from "./django-fields.js";
import { djangoIndexName, truncateName } from "./django-names.js";

export interface DjangoIndex {
  name: string;
  /** Field names, without the `-` of descending ones; empty for expression indexes. */
  fields: string[];
  unique: boolean;
}

export interface DjangoConstraint {
  name: string;
  kind: "unique" | "check" | "other";
  fields: string[];
  /** A conditional or expression UniqueConstraint, which PostgreSQL holds as a unique index. */
  asIndex: boolean;
  /** `CheckConstraint(check=Q(<field>__isnull=False))`: the field it proves NOT NULL. */
  notNullField?: string;
}

export interface DjangoModel {
  app: string;
  /** Lower-cased model name, as Django keys its state. */
  name: string;
  dbTable?: string;
  fields: DjangoField[];
  managed: boolean;
  proxy: boolean;
  /** Model keys of the model's concrete bases (multi-table inheritance and proxies). */
  bases: string[];
  uniqueTogether: string[][];
  indexTogether: string[][];
  indexes: DjangoIndex[];
  constraints: DjangoConstraint[];
  orderWithRespectTo?: string;
  /** PostgreSQL names of unique_together / index_together entries, by `togetherKey`. */
  togetherNames: Record<string, string>;
}

/** Key of a unique_together (`unique`) or index_together entry in `togetherNames`. */
export function togetherKey(unique: boolean, fields: readonly string[]): string {
  return `${unique ? "unique" : "index"}:${fields.join(",")}`;
}

/** An automatic many-to-many join table, as Django creates it for a field without `through`. */
export interface JoinTable {
  table: string;
  fromColumn: string;
  toColumn: string;
  columns: ColumnDefinition[];
  constraints: TableConstraint[];
}

/** Models of Django's own apps that are not in the replayed history, and their tables. */
const CONTRIB_MODELS: Record<string, { table: string; pkType: string }> = {
  "auth.user": { table: "auth_user", pkType: "integer" },
  "auth.group": { table: "auth_group", pkType: "integer" },
  "auth.permission": { table: "auth_permission", pkType: "integer" },
  "contenttypes.contenttype": { table: "django_content_type", pkType: "integer" },
  "sites.site": { table: "django_site", pkType: "integer" },
  "admin.logentry": { table: "django_admin_log", pkType: "integer" },
  "sessions.session": { table: "django_session", pkType: "character varying(40)" },
};

export function modelKeyOf(model: DjangoModel): string {
  return `${model.app}.${model.name}`;
}

export class DjangoProjectState {
  readonly models = new Map<string, DjangoModel>();

  /**
   * Column type of an automatic join table's `id`: `migrate` builds those from
   * `settings.DEFAULT_AUTO_FIELD`, which no migration records.
   */
  constructor(readonly joinTableIdType = "integer") {}

  clone(): DjangoProjectState {
    const copy = new DjangoProjectState(this.joinTableIdType);
    for (const [key, model] of this.models) copy.models.set(key, cloneModel(model));
    return copy;
  }

  get(key: string): DjangoModel | undefined {
    const model = this.models.get(key.toLowerCase());
    if (model || !key.includes(`.${SWAPPABLE_MARK}`)) return model;
    // The model a swappable setting defaults to: its name ends the setting's (APPLICATION_MODEL → application).
    const [app, spelled = ""] = key.split(`.${SWAPPABLE_MARK}`);
    const candidates = [...this.models.values()]
      .filter((candidate) => spelled.endsWith(candidate.name))
      .sort((a, b) => Number(b.app === app) - Number(a.app === app) || b.name.length - a.name.length);
    return candidates[0];
  }

  /** The model whose table holds the rows of `model`: itself, or a proxy's concrete base. */
  concrete(model: DjangoModel): DjangoModel {
    let current = model;
    for (let depth = 0; current.proxy && depth < 10; depth++) {
      const base = current.bases.map((key) => this.get(key)).find((found) => found !== undefined);
      if (!base) break;
      current = base;
    }
    return current;
  }

  tableOf(model: DjangoModel): string {
    const concrete = this.concrete(model);
    return (concrete.dbTable ?? truncateName(`${concrete.app}_${concrete.name}`)).toLowerCase();
  }

  /** Whether Django runs DDL for the model: managed, not a proxy (`can_migrate`). */
  ownsTable(model: DjangoModel): boolean {
    return model.managed && !model.proxy;
  }

  primaryKey(model: DjangoModel): DjangoField | undefined {
    const concrete = this.concrete(model);
    return concrete.fields.find((field) => field.primaryKey);
  }

  /** The table and column a relation points at, and that column's type. */
  target(key: string | undefined, toField: string | undefined): { reference: ForeignKeyTarget; type: string } | undefined {
    if (key === undefined) return undefined;
    const model = this.get(key);
    if (!model) {
      if (key.includes(`.${SWAPPABLE_MARK}`)) return undefined;
      const contrib = CONTRIB_MODELS[key.toLowerCase()];
      if (contrib) return { reference: { table: contrib.table, columns: [toField ?? "id"] }, type: toField ? "unknown" : contrib.pkType };
      // A model of an app outside the history: Django's default table name, type unknown.
      return { reference: { table: truncateName(key.replace(".", "_")).toLowerCase(), columns: toField ? [toField] : [] }, type: "unknown" };
    }
    const concrete = this.concrete(model);
    const field = toField ? concrete.fields.find((candidate) => candidate.name === toField) : this.primaryKey(concrete);
    const column = field ? this.columnOf(concrete, field) : undefined;
    return {
      reference: { table: this.tableOf(concrete), columns: column ? [column.name] : [] },
      type: column?.type ?? "unknown",
    };
  }

  /** The column a (non many-to-many) field owns, resolved against the current state. */
  columnOf(model: DjangoModel, field: DjangoField): ColumnDefinition | undefined {
    const name = columnName(field);
    if (name === undefined) return undefined;
    const column: ColumnDefinition = {
      name,
      type: field.type,
      nullable: field.nullable,
      hasDefault: field.databaseDefault,
      primaryKey: field.primaryKey,
      unique: field.unique,
    };
    if (field.relation) {
      const target = this.target(field.relation.to, field.relation.toField);
      column.type = target?.type ?? "unknown";
      if (target && field.relation.dbConstraint) column.references = target.reference;
    }
    return column;
  }

  columnNameOf(model: DjangoModel, fieldName: string): string {
    const field = model.fields.find((candidate) => candidate.name === fieldName);
    return (field ? columnName(field) : undefined) ?? fieldName;
  }

  /** Every automatic join table, keyed by `app.model.field` of the field that declares it. */
  joinTables(): Map<string, JoinTable> {
    const tables = new Map<string, JoinTable>();
    for (const model of this.models.values()) {
      if (!this.ownsTable(model)) continue;
      for (const field of model.fields) {
        const join = this.joinTableOf(model, field);
        if (join) tables.set(`${modelKeyOf(model)}.${field.name}`, join);
      }
    }
    return tables;
  }

  joinTableOf(model: DjangoModel, field: DjangoField): JoinTable | undefined {
    const relation = field.relation;
    if (relation?.kind !== "many-to-many" || relation.through !== undefined) return undefined;
    const table = (relation.dbTable ?? truncateName(`${this.tableOf(model)}_${field.name}`)).toLowerCase();
    const targetModel = relation.to ? this.get(relation.to) : undefined;
    const targetName = targetModel?.name ?? relation.to?.slice(relation.to.indexOf(".") + 1) ?? "unknown";
    const selfReference = relation.to === modelKeyOf(model);
    const fromColumn = selfReference ? `from_${model.name}_id` : `${model.name}_id`;
    const toColumn = selfReference ? `to_${targetName}_id` : `${targetName}_id`;
    const from = this.target(modelKeyOf(model), undefined);
    const to = this.target(relation.to, undefined);
    const idType = this.joinTableIdType;
    const reference = (end: typeof from): Pick<ColumnDefinition, "references"> =>
      end && relation.dbConstraint ? { references: end.reference } : {};
    return {
      table,
      fromColumn,
      toColumn,
      columns: [
        { name: "id", type: idType, nullable: false, hasDefault: true, primaryKey: true, unique: true },
        { name: fromColumn, type: from?.type ?? "unknown", nullable: false, hasDefault: false, primaryKey: false, unique: false, ...reference(from) },
        { name: toColumn, type: to?.type ?? "unknown", nullable: false, hasDefault: false, primaryKey: false, unique: false, ...reference(to) },
      ],
      constraints: [{ kind: "unique", name: djangoIndexName(table, [fromColumn, toColumn], "_uniq"), columns: [fromColumn, toColumn] }],
    };
  }
}

function cloneModel(model: DjangoModel): DjangoModel {
  return {
    ...model,
    fields: model.fields.map((field) => ({ ...field, names: { ...field.names }, ...(field.relation ? { relation: { ...field.relation } } : {}) })),
    togetherNames: { ...model.togetherNames },
    bases: [...model.bases],
    uniqueTogether: model.uniqueTogether.map((fields) => [...fields]),
    indexTogether: model.indexTogether.map((fields) => [...fields]),
    indexes: model.indexes.map((index) => ({ ...index, fields: [...index.fields] })),
    constraints: model.constraints.map((constraint) => ({ ...constraint, fields: [...constraint.fields] })),
  };
}
