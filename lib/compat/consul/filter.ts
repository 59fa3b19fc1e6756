import { AppError } from "@/lib/errors";

// Consul's `?filter=` expressions (go-bexpr), the part clients use: `Service == "x"`, `Tags contains "x"`,
// `"x" in Tags`, `Meta.k == "v"`, `Meta["k"] != "v"`, `is empty`, `is not empty`, with and / or / not and
// parentheses. Others (`matches`) are refused with a 400 that names them.

type TOp = "==" | "!=" | "contains" | "not contains" | "is empty" | "is not empty";
type TExpr =
  | { kind: "and"; left: TExpr; right: TExpr }
  | { kind: "or"; left: TExpr; right: TExpr }
  | { kind: "not"; operand: TExpr }
  | { kind: "match"; selector: string[]; op: TOp; value: string };

export type TFilter = (item: unknown) => boolean;

const maxLength = 2048;
const maxDepth = 32;

const invalid = (why: string) => new AppError("bad_request", `Failed to create boolean expression evaluator: ${why}`, "filter");

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s+|(==|!=|\(|\)|\[|\])|"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s()[\]"`=!]+)/gy;
  let match: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (match = pattern.exec(text))) {
    at = pattern.lastIndex;
    if (match[1] !== undefined || match[4] !== undefined) tokens.push(match[1] ?? match[4]!);
    else if (match[2] !== undefined) tokens.push(`"${JSON.parse(`"${match[2]}"`) as string}`);
    else if (match[3] !== undefined) tokens.push(`"${match[3]}`);
  }
  if (at < text.length) throw invalid(`unexpected '${text.slice(at, at + 10)}'`);
  return tokens;
}

// A string literal keeps a leading quote mark as a token, to tell it from a word.
const literal = (token: string | undefined) => (token?.startsWith('"') ? token.slice(1) : token);

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: string[],
    private readonly fields: ReadonlySet<string>,
  ) {}

  private peek(offset = 0) {
    return this.tokens[this.at + offset];
  }
  private next() {
    return this.tokens[this.at++];
  }
  private expect(token: string) {
    if (this.next() !== token) throw invalid(`expected '${token}'`);
  }

  parse(): TExpr {
    const expr = this.or(0);
    if (this.at < this.tokens.length) throw invalid(`unexpected '${this.peek()}'`);
    return expr;
  }

  private or(depth: number): TExpr {
    let left = this.and(depth);
    while (this.peek() === "or") {
      this.next();
      left = { kind: "or", left, right: this.and(depth) };
    }
    return left;
  }

  private and(depth: number): TExpr {
    let left = this.unary(depth);
    while (this.peek() === "and") {
      this.next();
      left = { kind: "and", left, right: this.unary(depth) };
    }
    return left;
  }

  private unary(depth: number): TExpr {
    if (depth > maxDepth) throw invalid(`nested more than ${maxDepth} levels deep`);
    if (this.peek() === "not") {
      this.next();
      return { kind: "not", operand: this.unary(depth + 1) };
    }
    if (this.peek() === "(") {
      this.next();
      const inner = this.or(depth + 1);
      this.expect(")");
      return inner;
    }
    return this.match();
  }

  private selector(): string[] {
    const word = this.next();
    if (!word || word.startsWith('"') || /^(and|or|not|in|contains|is)$/.test(word))
      throw invalid(`expected a selector, found '${literal(word) ?? "the end"}'`);
    const path = word.split(".");
    while (this.peek() === "[") {
      this.next();
      const key = this.next();
      if (!key?.startsWith('"')) throw invalid("expected a quoted key in [ ]");
      path.push(key.slice(1));
      this.expect("]");
    }
    if (!this.fields.has(path[0]!)) throw invalid(`Selector "${path.join(".")}" is not valid`);
    return path;
  }

  private value(): string {
    const token = this.next();
    if (token === undefined || ["(", ")", "[", "]", "==", "!="].includes(token)) throw invalid("expected a value");
    return literal(token)!;
  }

  private match(): TExpr {
    // "value" in Selector / "value" not in Selector
    const first = this.peek();
    if (first?.startsWith('"') || (first && this.peek(1) === "in") || (first && this.peek(1) === "not" && this.peek(2) === "in")) {
      const value = this.value();
      const negated = this.peek() === "not" && (this.next(), true);
      this.expect("in");
      return { kind: "match", selector: this.selector(), op: negated ? "not contains" : "contains", value };
    }
    const selector = this.selector();
    const op = this.next();
    if (op === "==" || op === "!=" || op === "contains") return { kind: "match", selector, op, value: this.value() };
    if (op === "not" && this.peek() === "contains") {
      this.next();
      return { kind: "match", selector, op: "not contains", value: this.value() };
    }
    if (op === "is") {
      const negated = this.peek() === "not" && (this.next(), true);
      this.expect("empty");
      return { kind: "match", selector, op: negated ? "is not empty" : "is empty", value: "" };
    }
    throw invalid(`operator '${op ?? "(none)"}' is not supported here (use ==, !=, contains, in, is empty)`);
  }
}

// Every value at the selector's path; a list met on the way is looked into element by element.
function resolve(value: unknown, path: string[]): unknown[] {
  let current: unknown[] = [value];
  for (const part of path) {
    current = current
      .flatMap((item): unknown[] => (Array.isArray(item) ? (item as unknown[]) : [item]))
      .map((item) => (item && typeof item === "object" ? (item as Record<string, unknown>)[part] : undefined));
  }
  return current;
}

// A string, number or boolean as the filter's text compares it; anything else equals no value.
const scalarText = (value: unknown) => (typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined);

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === "" ||
  (Array.isArray(value) ? value.length === 0 : typeof value === "object" && Object.keys(value).length === 0);

function contains(value: unknown, wanted: string): boolean {
  if (typeof value === "string") return value.includes(wanted);
  if (Array.isArray(value)) return value.some((item) => scalarText(item) === wanted);
  return Boolean(value && typeof value === "object" && wanted in value);
}

function evaluate(expr: TExpr, item: unknown): boolean {
  if (expr.kind === "and") return evaluate(expr.left, item) && evaluate(expr.right, item);
  if (expr.kind === "or") return evaluate(expr.left, item) || evaluate(expr.right, item);
  if (expr.kind === "not") return !evaluate(expr.operand, item);
  const values = resolve(item, expr.selector);
  const equal = values.some((value) => scalarText(value) === expr.value);
  switch (expr.op) {
    case "==":
      return equal;
    case "!=":
      return !equal;
    case "contains":
      return values.some((value) => contains(value, expr.value));
    case "not contains":
      return !values.some((value) => contains(value, expr.value));
    case "is empty":
      return values.every(isEmpty);
    case "is not empty":
      return !values.every(isEmpty);
  }
}

/** The filter `text` makes over items with these top-level `fields`; a 400 for what it cannot read. */
export function parseFilter(text: string, fields: readonly string[]): TFilter {
  if (text.length > maxLength) throw invalid(`the filter must be at most ${maxLength} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) return () => true;
  const expr = new Parser(tokens, new Set(fields)).parse();
  return (item) => evaluate(expr, item);
}
