import { createRequire } from "node:module";
import { Language, Parser, type Tree } from "web-tree-sitter";

export type GrammarName = "python" | "go";

const require = createRequire(import.meta.url);
const grammarFiles: Record<GrammarName, string> = {
  python: "tree-sitter-python/tree-sitter-python.wasm",
  go: "tree-sitter-go/tree-sitter-go.wasm",
};

let initialised: Promise<void> | undefined;
const parsers = new Map<GrammarName, Promise<Parser>>();

async function createParser(grammar: GrammarName): Promise<Parser> {
  initialised ??= Parser.init();
  await initialised;
  const language = await Language.load(require.resolve(grammarFiles[grammar]));
  return new Parser().setLanguage(language);
}

/** One parser per grammar for the life of the process; loading a grammar costs milliseconds. */
export function loadParser(grammar: GrammarName): Promise<Parser> {
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = createParser(grammar);
    parsers.set(grammar, parser);
  }
  return parser;
}

/** Parses `source` and always frees the tree: WASM memory is not garbage-collected. */
export function withTree<T>(parser: Parser, source: string, use: (tree: Tree) => T): T {
  const tree = parser.parse(source);
  if (!tree) throw new Error("tree-sitter returned no tree");
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
