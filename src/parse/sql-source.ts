// SQL text as libpg-query sees it: UTF-8 bytes. Every offset the parser reports is a byte
// offset, so lines and statement texts are computed on the bytes, never on string indexes.

const NEWLINE = 0x0a;

export class SqlSource {
  readonly bytes: Buffer;
  /** Byte offset at which each line (0-based) starts. */
  private readonly lineStarts: number[];

  constructor(
    readonly text: string,
    /** File line of the first character of `text`. */
    private readonly firstLine: number,
  ) {
    this.bytes = Buffer.from(text, "utf8");
    this.lineStarts = [0];
    let at = this.bytes.indexOf(NEWLINE);
    while (at !== -1) {
      this.lineStarts.push(at + 1);
      at = this.bytes.indexOf(NEWLINE, at + 1);
    }
  }

  get byteLength(): number {
    return this.bytes.length;
  }

  /** File line of a byte offset. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return this.firstLine + low;
  }

  slice(start: number, end: number): string {
    return this.bytes.subarray(start, end).toString("utf8");
  }

  /** First byte at or after `offset` that is neither whitespace nor inside a comment. */
  skipTrivia(offset: number, end = this.bytes.length): number {
    const bytes = this.bytes;
    let at = offset;
    while (at < end) {
      const byte = bytes[at];
      if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0c) {
        at += 1;
      } else if (byte === 0x2d && bytes[at + 1] === 0x2d) {
        const lineEnd = bytes.indexOf(NEWLINE, at);
        at = lineEnd === -1 || lineEnd >= end ? end : lineEnd + 1;
      } else if (byte === 0x2f && bytes[at + 1] === 0x2a) {
        at = this.skipBlockComment(at, end);
      } else {
        break;
      }
    }
    return at;
  }

  /**
   * The whole lines a statement from `start` to `end` (its semicolon may follow) stands on,
   * when it shares them with no other statement: what a review suggestion can replace.
   */
  ownLines(start: number, end: number): { lastLine: number; text: string } | undefined {
    const bytes = this.bytes;
    const lineStart = this.lineStarts[this.lineAt(start) - this.firstLine] ?? 0;
    for (let at = lineStart; at < start; at += 1) if (bytes[at] !== 0x20 && bytes[at] !== 0x09) return undefined;
    let at = end;
    const skipBlanks = (): void => {
      while (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0d) at += 1;
    };
    skipBlanks();
    if (bytes[at] === 0x3b) at += 1;
    skipBlanks();
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) at = bytes.indexOf(NEWLINE, at) === -1 ? bytes.length : bytes.indexOf(NEWLINE, at);
    if (at < bytes.length && bytes[at] !== NEWLINE) return undefined;
    return { lastLine: this.lineAt(Math.max(start, at - 1)), text: this.slice(lineStart, at).replace(/\r$/, "") };
  }

  /** Block comments nest in PostgreSQL. */
  private skipBlockComment(start: number, end: number): number {
    const bytes = this.bytes;
    let depth = 0;
    let at = start;
    while (at < end) {
      if (bytes[at] === 0x2f && bytes[at + 1] === 0x2a) {
        depth += 1;
        at += 2;
      } else if (bytes[at] === 0x2a && bytes[at + 1] === 0x2f) {
        depth -= 1;
        at += 2;
        if (depth === 0) return at;
      } else {
        at += 1;
      }
    }
    return end;
  }
}
