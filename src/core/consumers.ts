/** What to look for in other services: a table, or one column of it. */
export interface ConsumerTarget {
  table: string;
  /** Absent: any use of the table counts. */
  column?: string;
  /**
   * Only some uses break: `writes` (rows swallowed by a rule, a column made GENERATED ALWAYS),
   * or `inserts-omitting` — INSERTs and COPYs that leave `column` out (it became NOT NULL without a default).
   */
  only?: "writes" | "inserts-omitting";
}

/** One use, confirmed by parsing the SQL found, in another service's repository. */
export interface ConsumerUse {
  service: string;
  /** `owner/name` */
  repo: string;
  path: string;
  line: number;
  table: string;
  /** The column of the target that is used; absent when the use is of the whole table (`*`, DELETE, ...). */
  column?: string;
  access: "read" | "write";
  /** The column an INSERT leaves out (for a target that only counts such inserts). */
  omits?: string;
  /** Counted because it uses every column (`*`, `RETURNING *`, an INSERT without a column list), not because it names the column. */
  allColumns?: boolean;
  /** Link to the line, when the source knows one. */
  url?: string;
}

export interface ConsumerLookup {
  uses: ConsumerUse[];
  /** Searches that failed or were incomplete: a finding depending on them must block and say so. */
  failures: { service: string; repo: string; table?: string; reason: string }[];
}

export interface ConsumerFinder {
  /** Search every service except `excludeService` for uses of the targets. */
  find(targets: ConsumerTarget[], excludeService: string): Promise<ConsumerLookup>;
}
