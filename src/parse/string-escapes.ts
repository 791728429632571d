// Backslash escapes of string literals, shared by the Python and Go readers.

/** The one-character escapes Python and Go have in common. */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

const PYTHON_ESCAPE = /\\(\n|[\\'"abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})|\{\{|\}\}/g;

/** The text a Python string literal's body stands for; `{{`/`}}` are braces only in f-strings. */
export function decodePythonString(text: string, options: { raw: boolean; fString: boolean }): string {
  return text.replace(PYTHON_ESCAPE, (match, escape: string | undefined) => {
    if (escape === undefined) return options.fString ? match.charAt(0) : match;
    if (options.raw) return match;
    if (escape === "\n") return "";
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) return simple;
    if (/^[0-7]/.test(escape)) return String.fromCharCode(parseInt(escape, 8));
    const codePoint = parseInt(escape.slice(1), 16);
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : match;
  });
}
