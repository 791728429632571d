/** What to look for in other services: a table, or one column of it. */
export interface ConsumerTarget {
  table: string;
  /** Absent: any use of the table counts. */
  column?: string;
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
