// Django field classes → the PostgreSQL columns Django 3.2+ creates for them
// (django/db/backends/postgresql/base.py `data_types`).
import {
  argumentsOf,
  numberOf,
  simpleName,
  stringOf,
  truthOf,
  type PyCall,
  type PyValue,
} from "../parse/django-values.js";

export type RelationKind = "foreign-key" | "one-to-one" | "many-to-many";

export interface FieldRelation {
  kind: RelationKind;
  /** Target model key `app_label.model_name` (lower-cased), or `undefined` when it cannot be known. */
  to?: string;
  toField?: string;
  /** Explicit `through=` model key: the join table is that model's, not an automatic one. */
  through?: string;
  /** ManyToManyField `db_table`. */
  dbTable?: string;
  dbConstraint: boolean;
  parentLink: boolean;
}

/**
 * What PostgreSQL calls the indexes and constraints Django created with a column. Django finds
 * them by introspection when it drops them; names keep the table and column of their creation.
 */
export interface PhysicalNames {
  index?: string;
  likeIndex?: string;
  unique?: string;
  check?: string;
  foreignKey?: string;
}

/** One field of a model in Django's project state. */
export interface DjangoField {
  name: string;
  /** The class as written, for messages: `models.CharField`. */
  className: string;
  /** Column type for non-relations; `unknown` when the class is not understood. */
  type: string;
  dbColumn?: string;
  nullable: boolean;
  primaryKey: boolean;
  unique: boolean;
  dbIndex: boolean;
  /** A value Django puts in the DEFAULT clause while it adds the column. */
  effectiveDefault: boolean;
  /** A default the database keeps: serial/identity columns, `db_default`. */
  databaseDefault: boolean;
  relation?: FieldRelation;
  /** Positive*Field: Django adds `CHECK (column >= 0)`. */
  nonNegativeCheck: boolean;
  /** `auto_created=True`: a primary key Django added from DEFAULT_AUTO_FIELD. */
  autoCreated: boolean;
  names: PhysicalNames;
}

export interface FieldContext {
  appLabel: string;
  /** Lower-cased model name, for `to="self"`. */
  modelName: string;
  authUserModel: string;
}

const FIELD_PARAMETERS = ["verbose_name", "name", "primary_key", "max_length", "unique", "blank", "null", "db_index"];
const RELATION_PARAMETERS: Record<RelationKind, readonly string[]> = {
  "foreign-key": ["to", "on_delete", "related_name", "related_query_name", "limit_choices_to", "parent_link", "to_field", "db_constraint"],
  "one-to-one": ["to", "on_delete", "to_field"],
  "many-to-many": ["to", "related_name", "related_query_name", "limit_choices_to", "symmetrical", "through", "through_fields", "db_constraint", "db_table"],
};

type ColumnType = (args: Map<string, PyValue>) => string;
const fixed = (type: string): ColumnType => () => type;
const varchar = (defaultLength: number | undefined): ColumnType => (args) => {
  const given = args.get("max_length");
  const length = numberOf(given) ?? defaultLength;
  // A max_length computed at run time leaves the column's length unknown.
  if (given !== undefined && given.kind !== "none" && numberOf(given) === undefined) return "unknown";
  return length === undefined ? "character varying" : `character varying(${length})`;
};
const geometry = (shape: string): ColumnType => (args) => {
  const srid = numberOf(args.get("srid")) ?? 4326;
  return `${truthOf(args.get("geography")) ? "geography" : "geometry"}(${shape},${srid})`;
};

/** Every Django (and django.contrib.postgres / gis) field class that owns a column. */
const COLUMN_TYPES: Record<string, ColumnType> = {
  AutoField: fixed("integer"),
  BigAutoField: fixed("bigint"),
  SmallAutoField: fixed("smallint"),
  CharField: varchar(undefined),
  SlugField: varchar(50),
  EmailField: varchar(254),
  URLField: varchar(200),
  FileField: varchar(100),
  ImageField: varchar(100),
  FilePathField: varchar(100),
  CommaSeparatedIntegerField: varchar(undefined),
  TextField: fixed("text"),
  IntegerField: fixed("integer"),
  BigIntegerField: fixed("bigint"),
  SmallIntegerField: fixed("smallint"),
  PositiveIntegerField: fixed("integer"),
  PositiveSmallIntegerField: fixed("smallint"),
  PositiveBigIntegerField: fixed("bigint"),
  BooleanField: fixed("boolean"),
  NullBooleanField: fixed("boolean"),
  DateField: fixed("date"),
  DateTimeField: fixed("timestamp with time zone"),
  TimeField: fixed("time without time zone"),
  DurationField: fixed("interval"),
  DecimalField: (args) => {
    const digits = numberOf(args.get("max_digits"));
    const places = numberOf(args.get("decimal_places"));
    if (args.has("max_digits") && digits === undefined) return "unknown";
    return digits === undefined ? "numeric" : `numeric(${digits},${places ?? 0})`;
  },
  FloatField: fixed("double precision"),
  UUIDField: fixed("uuid"),
  JSONField: fixed("jsonb"),
  BinaryField: fixed("bytea"),
  GenericIPAddressField: fixed("inet"),
  IPAddressField: fixed("inet"),
  HStoreField: fixed("hstore"),
  CICharField: fixed("citext"),
  CIEmailField: fixed("citext"),
  CITextField: fixed("citext"),
  SearchVectorField: fixed("tsvector"),
  IntegerRangeField: fixed("int4range"),
  BigIntegerRangeField: fixed("int8range"),
  DecimalRangeField: fixed("numrange"),
  FloatRangeField: fixed("numrange"),
  DateTimeRangeField: fixed("tstzrange"),
  DateRangeField: fixed("daterange"),
  GeometryField: geometry("Geometry"),
  PointField: geometry("Point"),
  LineStringField: geometry("LineString"),
  PolygonField: geometry("Polygon"),
  MultiPointField: geometry("MultiPoint"),
  MultiLineStringField: geometry("MultiLineString"),
  MultiPolygonField: geometry("MultiPolygon"),
  GeometryCollectionField: geometry("GeometryCollection"),
  RasterField: fixed("raster"),
};

/** Well-known third-party fields whose names do not end with the Django field they extend. */
const THIRD_PARTY_TYPES: Record<string, string> = {
  PhoneNumberField: "CharField:128",
  PickledObjectField: "TextField",
  CountryField: "CharField:2",
  TimeZoneField: "CharField:63",
  MoneyField: "DecimalField",
  AutoCreatedField: "DateTimeField",
  AutoLastModifiedField: "DateTimeField",
  MonitorField: "DateTimeField",
  StatusField: "CharField:100",
  RichTextField: "TextField",
  RichTextUploadingField: "TextField",
  HTMLField: "TextField",
  MarkdownxField: "TextField",
  ParentalKey: "ForeignKey",
};

const AUTO_FIELDS = new Set(["AutoField", "BigAutoField", "SmallAutoField"]);

const RELATIONS: Record<string, RelationKind> = {
  ForeignKey: "foreign-key",
  OneToOneField: "one-to-one",
  ManyToManyField: "many-to-many",
};

const STRING_FIELDS = new Set(["CharField", "SlugField", "EmailField", "URLField", "FileField", "ImageField", "FilePathField", "TextField", "CICharField", "CIEmailField", "CITextField", "GenericIPAddressField", "CommaSeparatedIntegerField"]);
const KNOWN_CLASSES = [...Object.keys(COLUMN_TYPES), ...Object.keys(RELATIONS), "ArrayField", "GeneratedField"].sort((a, b) => b.length - a.length);

/**
 * The Django field a class stands for: itself, an imported alias of it, a known third-party
 * field, or a custom class whose name ends with a Django field's name (`EncryptedTextField`).
 */
export function djangoFieldClass(qualifiedName: string): { djangoClass?: string; defaultMaxLength?: number } {
  const name = simpleName(qualifiedName);
  const thirdParty = THIRD_PARTY_TYPES[name];
  if (thirdParty !== undefined) {
    const [djangoClass, length] = thirdParty.split(":");
    return { djangoClass, ...(length ? { defaultMaxLength: Number(length) } : {}) };
  }
  return { djangoClass: KNOWN_CLASSES.find((known) => name.endsWith(known)) };
}

/** Reads a field call (`models.CharField(max_length=20)`) into the field's state. */
export function readField(name: string, call: PyCall, context: FieldContext): DjangoField {
  const { djangoClass, defaultMaxLength } = djangoFieldClass(call.qualified);
  const relationKind = djangoClass ? RELATIONS[djangoClass] : undefined;
  const parameters = relationKind ? RELATION_PARAMETERS[relationKind] : djangoClass === "DecimalField" ? ["verbose_name", "name", "max_digits", "decimal_places"] : djangoClass === "ArrayField" ? ["base_field", "size"] : FIELD_PARAMETERS;
  const args = argumentsOf(call, parameters);
  if (defaultMaxLength !== undefined && !args.has("max_length")) {
    args.set("max_length", { kind: "num", value: defaultMaxLength, line: call.line });
  }
  const primaryKey = truthOf(args.get("primary_key")) ?? false;
  const autoIncrement = djangoClass !== undefined && AUTO_FIELDS.has(djangoClass);
  const field: DjangoField = {
    name,
    className: call.callee,
    type: columnType(djangoClass, call, args, context),
    nullable: !primaryKey && ((truthOf(args.get("null")) ?? false) || djangoClass === "NullBooleanField"),
    primaryKey,
    unique: primaryKey || (truthOf(args.get("unique")) ?? false) || relationKind === "one-to-one",
    dbIndex: truthOf(args.get("db_index")) ?? (relationKind === "foreign-key"),
    effectiveDefault: hasEffectiveDefault(args, djangoClass),
    databaseDefault: autoIncrement || djangoClass === "GeneratedField" || hasValue(args.get("db_default")),
    nonNegativeCheck: djangoClass?.startsWith("Positive") ?? false,
    autoCreated: truthOf(args.get("auto_created")) ?? false,
    names: {},
  };
  const dbColumn = stringOf(args.get("db_column"));
  if (dbColumn !== undefined) field.dbColumn = dbColumn;
  if (relationKind) field.relation = readRelation(relationKind, args, context);
  return field;
}

function hasValue(value: PyValue | undefined): boolean {
  return value !== undefined && value.kind !== "none";
}

/** Django's `effective_default`: the explicit default, `auto_now`, or '' for blank NOT NULL strings. */
function hasEffectiveDefault(args: Map<string, PyValue>, djangoClass: string | undefined): boolean {
  if (hasValue(args.get("default"))) return true;
  if (truthOf(args.get("auto_now")) || truthOf(args.get("auto_now_add"))) return true;
  const blankString = truthOf(args.get("blank")) && !truthOf(args.get("null")) && djangoClass !== undefined && STRING_FIELDS.has(djangoClass);
  return blankString === true;
}

function columnType(djangoClass: string | undefined, call: PyCall, args: Map<string, PyValue>, context: FieldContext): string {
  if (djangoClass === "ArrayField") {
    const base = args.get("base_field");
    if (base?.kind !== "call") return "unknown";
    const baseType = readField("base_field", base, context).type;
    return baseType === "unknown" ? "unknown" : `${baseType}[]`;
  }
  if (djangoClass === "GeneratedField") {
    const output = args.get("output_field");
    return output?.kind === "call" ? readField("output_field", output, context).type : "unknown";
  }
  const type = djangoClass ? COLUMN_TYPES[djangoClass] : undefined;
  return type ? type(args) : "unknown";
}

function readRelation(kind: RelationKind, args: Map<string, PyValue>, context: FieldContext): FieldRelation {
  const relation: FieldRelation = {
    kind,
    dbConstraint: truthOf(args.get("db_constraint")) ?? true,
    parentLink: truthOf(args.get("parent_link")) ?? false,
  };
  const to = modelKey(args.get("to"), context);
  if (to !== undefined) relation.to = to;
  const toField = stringOf(args.get("to_field"));
  if (toField !== undefined) relation.toField = toField;
  const through = modelKey(args.get("through"), context);
  if (through !== undefined) relation.through = through;
  const dbTable = stringOf(args.get("db_table"));
  if (dbTable !== undefined) relation.dbTable = dbTable;
  return relation;
}

/** Marks a model key spelled by a swappable setting's name rather than a model name. */
export const SWAPPABLE_MARK = "?";

/** `"app.Model"`, `"Model"`, `"self"`, `settings.AUTH_USER_MODEL` or a class reference → `app.model`. */
export function modelKey(value: PyValue | undefined, context: FieldContext): string | undefined {
  if (value === undefined) return undefined;
  if (value.kind === "ref") {
    const name = simpleName(value.path);
    if (name === "AUTH_USER_MODEL") return normaliseModel(context.authUserModel, context.appLabel);
    // Another swappable setting (`oauth2_settings.APPLICATION_MODEL`): resolved by name in the state.
    if (name.endsWith("_MODEL")) return `${context.appLabel}.${SWAPPABLE_MARK}${name.slice(0, -"_MODEL".length).replace(/_/g, "").toLowerCase()}`;
    return normaliseModel(name, context.appLabel);
  }
  const text = stringOf(value);
  if (text === undefined) return undefined;
  if (text === "self") return `${context.appLabel}.${context.modelName}`;
  return normaliseModel(text, context.appLabel);
}

export function normaliseModel(reference: string, appLabel: string): string {
  const dot = reference.lastIndexOf(".");
  return dot < 0 ? `${appLabel}.${reference.toLowerCase()}` : `${reference.slice(0, dot)}.${reference.slice(dot + 1).toLowerCase()}`;
}

/** The column a field owns; many-to-many fields own none. */
export function columnName(field: DjangoField): string | undefined {
  if (field.relation?.kind === "many-to-many") return undefined;
  if (field.dbColumn !== undefined) return field.dbColumn;
  return field.relation ? `${field.name}_id` : field.name;
}
