// What a language's string extraction hands to the SQL analysis of application code.

/** Part of a string built in code: known text, or a value only known at run time. */
export type StringPiece = { kind: "text"; text: string } | { kind: "hole" };

/** A string expression that may hold SQL. */
export interface SqlCandidate {
  pieces: StringPiece[];
  /** Line of the expression's first character. */
  line: number;
  /** Lines the expression spans after its first: SQL lines map to file lines when its text has as many line breaks. */
  lineSpan: number;
  /** Built at run time: only its constant parts are known. */
  dynamic: boolean;
}
