// Prometheus text format 0.0.4 and OpenMetrics 1.0 in one hand-written pass over the char codes:
// the collector parses every target every scrape, so this is the hot loop of metrics collection.
import type { TMetricFamily, TMetricType, TSample } from "../types";

/** Why a scrape body is not a valid exposition, and on which line (1-based). */
export class MetricsParseError extends Error {
  readonly line: number;
  constructor(line: number, reason: string, lineText: string) {
    super(`line ${line}: ${reason} in ${JSON.stringify(lineText.length > 120 ? `${lineText.slice(0, 120)}…` : lineText)}`);
    this.name = "MetricsParseError";
    this.line = line;
  }
}

/** True when a scrape's Content-Type is OpenMetrics (`application/openmetrics-text; version=...`). */
export function isOpenMetrics(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(";");
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === "application/openmetrics-text";
}

const LF = 10,
  CR = 13,
  SP = 32,
  TAB = 9,
  QUOTE = 34,
  HASH = 35,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46;
const EQUALS = 61,
  BACKSLASH = 92,
  OPEN = 123,
  CLOSE = 125,
  ZERO = 48,
  NINE = 57;

// Character classes: metric names are [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*.
const NAME_START = 1,
  NAME_PART = 2,
  LABEL_START = 4,
  LABEL_PART = 8;
const charClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= ZERO && c <= NINE;
  charClass[c] = (letter || c === 58 ? NAME_START | NAME_PART : 0) | (digit ? NAME_PART | LABEL_PART : 0) | (letter ? LABEL_START | LABEL_PART : 0);
}
const isClass = (c: number, mask: number) => c < 128 && (charClass[c]! & mask) !== 0;

// Names and short label values repeat across lines and scrapes: interning them keeps one string per name
// (object keys stay the same strings) and frees the scrape body, which a slice would keep alive.
const INTERN_MAX_COUNT = 1 << 15;
const INTERN_MAX_LENGTH = 64;
const interned = new Map<string, string>();

// Before the map, a direct-mapped table of the strings interned lately: a name or value met before is found by
// comparing it in place in the body, with no slice made to look it up.
const RECENT_SLOTS = 4096;
const recent: (string | undefined)[] = new Array<string | undefined>(RECENT_SLOTS).fill(undefined);
const slotOf = (text: string, start: number, end: number) =>
  ((text.charCodeAt(start) * 31 + text.charCodeAt(end - 1)) * 31 + text.charCodeAt((start + end) >> 1) + (end - start) * 7) & (RECENT_SLOTS - 1);

/** True when text[start, end) is `word`, compared in place. */
const isAt = (text: string, start: number, end: number, word: string) => word.length === end - start && text.startsWith(word, start);

function intern(text: string, start: number, end: number): string {
  if (end - start > INTERN_MAX_LENGTH) return text.slice(start, end);
  if (end === start) return "";
  const slot = slotOf(text, start, end);
  const hit = recent[slot];
  if (hit !== undefined && isAt(text, start, end, hit)) return hit;
  const slice = text.slice(start, end);
  let found = interned.get(slice);
  if (found === undefined) {
    if (interned.size >= INTERN_MAX_COUNT) interned.clear();
    // A slice of 13 chars or more points into its parent; a copy through a concatenation does not.
    found = slice.length < 13 ? slice : (" " + slice).slice(1);
    interned.set(found, found);
  }
  recent[slot] = found;
  return found;
}

// 10^0..10^22 are exact doubles, so digits / 10^k is correctly rounded when the digits fit in 2^53 (Clinger's fast path).
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Parses a Go `strconv.ParseFloat` literal as Prometheus accepts it; null when it is not one. */
export function parseNumber(text: string, start: number, end: number): number | null {
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === MINUS;
  if (negative || c === PLUS) c = text.charCodeAt(++i);
  if (c > NINE) return parseSpecial(text, start, end, i);
  let mantissa = 0,
    significant = 0,
    exponent = 0,
    digits = 0,
    dot = false;
  for (; i < end; c = text.charCodeAt(++i)) {
    if (c >= ZERO && c <= NINE) {
      digits++;
      if (dot) exponent--;
      if (significant > 0 || c !== ZERO) {
        significant++;
        mantissa = mantissa * 10 + (c - ZERO);
      }
    } else if (c === DOT && !dot) dot = true;
    else break;
  }
  if (digits === 0) return null;
  if (i < end) {
    if (c !== 101 && c !== 69) return null; // e or E
    c = text.charCodeAt(++i);
    const negativeExponent = c === MINUS;
    if (negativeExponent || c === PLUS) c = text.charCodeAt(++i);
    let e = 0,
      exponentDigits = 0;
    for (; i < end && c >= ZERO && c <= NINE; c = text.charCodeAt(++i), exponentDigits++) e = e * 10 + (c - ZERO);
    if (exponentDigits === 0 || i < end) return null;
    exponent += negativeExponent ? -e : e;
  }
  if (significant <= 15 && exponent >= -22 && exponent <= 22) {
    const magnitude = exponent < 0 ? mantissa / POW10[-exponent]! : mantissa * POW10[exponent]!;
    return negative ? -magnitude : magnitude;
  }
  // The literal is valid (checked above); only its rounding needs the full algorithm.
  const value = Number(text.slice(start, end));
  return Number.isFinite(value) ? value : null;
}

// Go accepts [+-]inf, [+-]infinity and nan in any case.
function parseSpecial(text: string, start: number, end: number, i: number): number | null {
  if (isWord(text, i, end, "inf") || isWord(text, i, end, "infinity")) return text.charCodeAt(start) === MINUS ? -Infinity : Infinity;
  return i === start && isWord(text, i, end, "nan") ? NaN : null;
}

/** Case-insensitive comparison of text[start, end) with a lower-case ASCII word, without slicing. */
function isWord(text: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if ((text.charCodeAt(start + k) | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

// Which sample names belong to a family of each type, as suffixes of the family name.
const SUFFIXES: Record<TMetricType, string[]> = {
  counter: ["_total", "_created"],
  gauge: [],
  histogram: ["_bucket", "_count", "_sum", "_created"],
  gaugehistogram: ["_bucket", "_gcount", "_gsum"],
  summary: ["_count", "_sum", "_created"],
  info: ["_info"],
  stateset: [],
  untyped: [],
  unknown: [],
};
const TYPES = new Set<string>(Object.keys(SUFFIXES));
// Families keep their names from scrape to scrape: their sample names are built once, not per TYPE line.
const membersCache = new Map<string, { type: TMetricType; members: string[] }>();
function membersOf(name: string, type: TMetricType): string[] {
  const cached = membersCache.get(name);
  if (cached && cached.type === type) return cached.members;
  if (membersCache.size >= 20_000) membersCache.clear();
  const members = SUFFIXES[type].map((suffix) => intern(name + suffix, 0, name.length + suffix.length));
  membersCache.set(name, { type, members });
  return members;
}
// The label names of the sample being read, to find duplicates without reading the object's prototype chain.
const seenNames: string[] = [];

type TFamilyState = { family: TMetricFamily; typed: boolean; members: string[]; bucket: string | undefined };

class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly end: number;
  private readonly families: TMetricFamily[] = [];
  private readonly byName = new Map<string, TFamilyState>();
  private current: TFamilyState | undefined;
  private sawEof = false;

  constructor(
    private readonly text: string,
    private readonly openMetrics: boolean,
    private readonly reads: ((sampleName: string) => boolean) | undefined,
    private readonly keys: boolean,
  ) {
    this.end = text.length;
  }

  run(): TMetricFamily[] {
    const { text, end } = this;
    while (this.pos < end) {
      let c = text.charCodeAt(this.pos);
      if (!this.openMetrics) {
        while (c === SP || c === TAB) c = text.charCodeAt(++this.pos);
      }
      if (c === LF || c === CR || this.pos >= end) {
        this.endLine(true);
        continue;
      }
      if (this.sawEof) this.fail("content after # EOF");
      if (c === HASH) this.comment();
      else this.sample();
    }
    if (this.openMetrics && !this.sawEof) {
      // Name the last line, not the empty one after the final line break.
      if (this.lineStart === end && this.line > 1) {
        this.line--;
        this.lineStart = text.lastIndexOf("\n", end - 2) + 1;
      }
      this.fail("missing # EOF at the end of an OpenMetrics body");
    }
    return this.families;
  }

  private fail(reason: string): never {
    const lineEnd = this.text.indexOf("\n", this.lineStart);
    throw new MetricsParseError(this.line, reason, this.text.slice(this.lineStart, lineEnd === -1 ? this.end : lineEnd).replace(/\r$/, ""));
  }

  /** Consumes an optional CR and the LF (or the end of the input); `trailing` allows spaces before it in text format. */
  private endLine(trailing: boolean, where = "at the end of the line") {
    const { text } = this;
    let c = text.charCodeAt(this.pos);
    if (trailing && !this.openMetrics) while (c === SP || c === TAB) c = text.charCodeAt(++this.pos);
    if (c === CR) c = text.charCodeAt(++this.pos);
    if (this.pos >= this.end) return;
    if (c !== LF) this.fail(`unexpected ${JSON.stringify(text[this.pos])} ${where}`);
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  private skipBlanks() {
    const { text } = this;
    let c = text.charCodeAt(this.pos);
    while (c === SP || c === TAB) c = text.charCodeAt(++this.pos);
  }

  /** The separator between tokens: one space in OpenMetrics, any run of spaces and tabs in text format. */
  private separator(what: string) {
    const c = this.text.charCodeAt(this.pos);
    if (this.openMetrics) {
      if (c !== SP) this.fail(`expected a single space before ${what}`);
      this.pos++;
      if (this.text.charCodeAt(this.pos) === SP) this.fail(`expected a single space before ${what}`);
    } else {
      if (c !== SP && c !== TAB) this.fail(`expected a space before ${what}`);
      this.skipBlanks();
    }
  }

  private restOfLine(): string {
    const lineEnd = this.text.indexOf("\n", this.pos);
    const stop = lineEnd === -1 ? this.end : lineEnd;
    const rest = this.text.slice(this.pos, stop > this.pos && this.text.charCodeAt(stop - 1) === CR ? stop - 1 : stop);
    this.pos = stop;
    return rest;
  }

  private comment() {
    const { text } = this;
    const afterHash = text.charCodeAt(++this.pos);
    if (this.openMetrics ? afterHash !== SP : afterHash !== SP && afterHash !== TAB) return this.skipLine();
    this.skipBlanks();
    const first = text.charCodeAt(this.pos);
    if (first === 69 && this.openMetrics && text.startsWith("EOF", this.pos)) {
      this.pos += 3;
      this.sawEof = true;
      return this.endLine(false);
    }
    const keyword = first === 72 ? "HELP" : first === 84 ? "TYPE" : first === 85 && this.openMetrics ? "UNIT" : undefined;
    const afterKeyword = text.charCodeAt(this.pos + 4);
    if (!keyword || (afterKeyword !== SP && afterKeyword !== TAB) || !text.startsWith(keyword, this.pos)) return this.skipLine();
    this.pos += 4;
    this.skipBlanks();
    const name = this.metricName(`a metric name after ${keyword}`);
    const c = text.charCodeAt(this.pos);
    if (c !== SP && c !== TAB && c !== LF && c !== CR && this.pos < this.end) this.fail(`invalid metric name in ${keyword}`);
    // A reader of some samples has no use for help texts and units, nor for a family none of whose samples it reads.
    if (this.reads && keyword !== "TYPE") return this.skipLine();
    if (c === SP || c === TAB) this.pos++;
    const rest = this.restOfLine();
    if (keyword === "HELP") this.setHelp(name, rest);
    else if (keyword === "UNIT") this.metadata(name).family.unit = rest.trim();
    else this.setType(name, rest.trim());
    this.endLine(false);
  }

  private skipLine() {
    const lineEnd = this.text.indexOf("\n", this.pos);
    this.pos = lineEnd === -1 ? this.end : lineEnd;
    this.endLine(false);
  }

  private setHelp(name: string, raw: string) {
    const state = this.metadata(name);
    // OpenMetrics escapes \\ \" \n in HELP; the text format only \\ and \n (Prometheus leaves other pairs as they are).
    state.family.help = raw.indexOf("\\") === -1 ? raw : unescape(raw, 0, raw.length, this.openMetrics);
  }

  private setType(name: string, type: string) {
    if (!TYPES.has(type)) this.fail(`unknown metric type ${JSON.stringify(type)}`);
    const { reads } = this;
    if (reads && !this.byName.has(name) && !reads(name) && !membersOf(name, type as TMetricType).some(reads)) return;
    const state = this.metadata(name);
    if (state.typed) {
      if (state.family.type !== type) this.fail(`second TYPE line for ${name}`);
      return;
    }
    if (state.family.samples.length > 0) this.fail(`TYPE line for ${name} after its samples`);
    const metricType = type as TMetricType;
    state.family.type = metricType;
    state.typed = true;
    state.members = membersOf(name, metricType);
    state.bucket = metricType === "histogram" || metricType === "gaugehistogram" ? state.members[0] : undefined;
  }

  /** The family a HELP, TYPE or UNIT line is about, created untyped until its TYPE says otherwise. */
  private metadata(name: string): TFamilyState {
    let state = this.byName.get(name);
    if (!state) state = this.addFamily(name);
    this.current = state;
    return state;
  }

  private addFamily(name: string): TFamilyState {
    const family: TMetricFamily = { name, type: this.openMetrics ? "unknown" : "untyped", samples: [] };
    const state: TFamilyState = { family, typed: false, members: [], bucket: undefined };
    this.families.push(family);
    this.byName.set(name, state);
    return state;
  }

  /**
   * The name of the sample at text[start, end), its family made `this.current`. Samples follow their family's
   * metadata, so comparing with the current family's names nearly always answers without a lookup.
   */
  private sampleName(start: number, end: number): string {
    const { text } = this;
    const current = this.current;
    if (current) {
      if (isAt(text, start, end, current.family.name)) return current.family.name;
      for (const member of current.members) if (isAt(text, start, end, member)) return member;
    }
    const name = intern(text, start, end);
    // A sample not read makes no family (nor changes the current one): the caller skips its line.
    if (this.reads && !this.reads(name)) return name;
    this.current = this.familyOf(name);
    return name;
  }

  private familyOf(name: string): TFamilyState {
    let state = this.byName.get(name);
    if (!state) {
      const underscore = name.lastIndexOf("_");
      const base = underscore > 0 ? this.byName.get(name.slice(0, underscore)) : undefined;
      if (base && base.members.includes(name)) state = base;
    }
    return state ?? this.addFamily(name);
  }

  /** A metric name in a HELP, TYPE or UNIT line; the line before was usually about the same family. */
  private metricName(what: string): string {
    const { text } = this;
    const start = this.pos;
    let c = text.charCodeAt(start);
    if (!isClass(c, NAME_START)) this.fail(`expected ${what}`);
    do c = text.charCodeAt(++this.pos);
    while (isClass(c, NAME_PART));
    const previous = this.current?.family.name;
    if (previous !== undefined && isAt(text, start, this.pos, previous)) return previous;
    return intern(text, start, this.pos);
  }

  private sample() {
    const { text } = this;
    const start = this.pos;
    let c = text.charCodeAt(start);
    if (!isClass(c, NAME_START)) this.fail("expected a metric name or a comment");
    do c = text.charCodeAt(++this.pos);
    while (isClass(c, NAME_PART));
    const nameEnd = this.pos;
    const name = this.sampleName(start, nameEnd);
    // A sample nobody reads is not parsed past its name: no labels, value or object for it.
    if (this.reads && !this.reads(name)) return this.skipLine();
    if (!this.openMetrics) this.skipBlanks();
    c = text.charCodeAt(this.pos);
    let labels: Record<string, string>;
    if (c === OPEN) {
      this.pos++;
      labels = this.labels();
      if (!this.openMetrics) this.skipBlanks();
      else this.separator("the value");
    } else {
      labels = {};
      if (this.openMetrics) this.separator("the value");
      else if (this.pos === nameEnd && this.pos < this.end && c !== LF && c !== CR)
        this.fail(`invalid character ${JSON.stringify(text[this.pos])} after metric name ${name}`);
    }
    const keyEnd = this.pos;
    const value = this.number("value");
    const sample: TSample = { name, labels, value };
    // The series' key is its text as the target wrote it, name and labels: one slice, not pairs rebuilt by the reader.
    if (this.keys) {
      let end = keyEnd;
      for (let b = text.charCodeAt(end - 1); b === SP || b === TAB; b = text.charCodeAt(--end - 1));
      sample.key = text.slice(start, end);
    }
    c = text.charCodeAt(this.pos);
    if (c === SP || (c === TAB && !this.openMetrics)) {
      this.separator("the timestamp");
      c = text.charCodeAt(this.pos);
      if (c === HASH && this.openMetrics) this.exemplar();
      else if (c !== LF && c !== CR && this.pos < this.end) {
        sample.timestampMs = this.timestamp();
        if (this.openMetrics && text.charCodeAt(this.pos) === SP) {
          this.separator("the exemplar");
          this.exemplar();
        }
      }
    }
    this.add(sample);
    this.endLine(true, "after the sample");
  }

  private add(sample: TSample) {
    const state = this.current!;
    const { family } = state;
    if (state.bucket === sample.name) {
      const le = sample.labels.le;
      if (le === undefined) this.fail(`histogram bucket ${sample.name} has no "le" label`);
      if (parseNumber(le, 0, le.length) === null) this.fail(`invalid "le" value ${JSON.stringify(le)}`);
    } else if (family.type === "summary" && sample.name === family.name) {
      const quantile = sample.labels.quantile;
      if (quantile === undefined) this.fail(`summary sample ${sample.name} has no "quantile" label`);
      if (parseNumber(quantile, 0, quantile.length) === null) this.fail(`invalid "quantile" value ${JSON.stringify(quantile)}`);
    }
    family.samples.push(sample);
  }

  private labels(): Record<string, string> {
    const { text, openMetrics } = this;
    const labels: Record<string, string> = {};
    let seen = 0;
    for (;;) {
      if (!openMetrics) this.skipBlanks();
      let c = text.charCodeAt(this.pos);
      if (c === CLOSE) break;
      const nameStart = this.pos;
      if (!isClass(c, LABEL_START)) this.fail(`expected a label name or "}"`);
      do c = text.charCodeAt(++this.pos);
      while (isClass(c, LABEL_PART));
      const name = intern(text, nameStart, this.pos);
      if (!openMetrics) this.skipBlanks();
      if (text.charCodeAt(this.pos) !== EQUALS) this.fail(`expected "=" after label name ${name}`);
      this.pos++;
      if (!openMetrics) this.skipBlanks();
      if (text.charCodeAt(this.pos) !== QUOTE) this.fail(`expected a quoted value for label ${name}`);
      const valueStart = ++this.pos;
      let escaped = false;
      for (c = text.charCodeAt(this.pos); c !== QUOTE; c = text.charCodeAt(++this.pos)) {
        if (c === LF || this.pos >= this.end) this.fail(`unterminated value for label ${name}`);
        if (c === BACKSLASH) {
          escaped = true;
          c = text.charCodeAt(++this.pos);
          if (c === LF || this.pos >= this.end) this.fail(`unterminated value for label ${name}`);
        }
      }
      const value = escaped ? unescape(text, valueStart, this.pos, true) : intern(text, valueStart, this.pos);
      this.pos++;
      for (let k = 0; k < seen; k++) if (seenNames[k] === name) this.fail(`duplicate label ${name}`);
      seenNames[seen++] = name;
      // A label named __proto__ would set the prototype instead of a property.
      if (name === "__proto__") Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
      else labels[name] = value;
      if (!openMetrics) this.skipBlanks();
      c = text.charCodeAt(this.pos);
      if (c === COMMA) this.pos++;
      else if (c !== CLOSE) this.fail(`expected "," or "}" after the value of label ${name}`);
    }
    this.pos++;
    return labels;
  }

  /** Advances to the end of a value or timestamp token: a space, a line break (or, in text format, a tab). */
  private skipToken() {
    const { text } = this;
    let c = text.charCodeAt(this.pos);
    while (this.pos < this.end && c !== SP && c !== LF && c !== CR && (c !== TAB || this.openMetrics)) c = text.charCodeAt(++this.pos);
  }

  private number(what: string): number {
    const start = this.pos;
    this.skipToken();
    const end = this.pos;
    if (start === end) this.fail(`expected a ${what}`);
    const value = parseNumber(this.text, start, end);
    if (value === null) this.fail(`invalid ${what} ${JSON.stringify(this.text.slice(start, end))}`);
    return value;
  }

  /** Text format: integer milliseconds. OpenMetrics: seconds as a float, returned in milliseconds. */
  private timestamp(): number {
    const start = this.pos;
    if (this.openMetrics) {
      const seconds = this.number("timestamp");
      if (!Number.isFinite(seconds)) this.fail(`invalid timestamp ${JSON.stringify(this.text.slice(start, this.pos))}`);
      return Math.round(seconds * 1000);
    }
    this.skipToken();
    const end = this.pos;
    let ms = 0;
    for (let i = start; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c < ZERO || c > NINE || end - start > 19) this.fail(`invalid timestamp ${JSON.stringify(this.text.slice(start, end))}`);
      ms = ms * 10 + (c - ZERO);
    }
    return end - start > 15 ? Number(this.text.slice(start, end)) : ms;
  }

  /** Exemplars (` # {trace_id="..."} 0.1 1700000000.0`) are not used: checked for shape, then skipped. */
  private exemplar() {
    const { text } = this;
    if (text.charCodeAt(this.pos) !== HASH || text.charCodeAt(this.pos + 1) !== SP || text.charCodeAt(this.pos + 2) !== OPEN) {
      this.fail("expected an exemplar after the value");
    }
    // Trace ids are unique: scanning past the label set, not parsing it, keeps them out of the intern table.
    for (let c = text.charCodeAt((this.pos += 3)); c !== CLOSE; c = text.charCodeAt(++this.pos)) {
      if (c === LF || this.pos >= this.end) this.fail("unterminated exemplar");
      if (c !== QUOTE) continue;
      for (c = text.charCodeAt(++this.pos); c !== QUOTE; c = text.charCodeAt(++this.pos)) {
        if (c === LF || this.pos >= this.end) this.fail("unterminated exemplar");
        if (c === BACKSLASH) this.pos++;
      }
    }
    this.pos++;
    this.separator("the exemplar value");
    this.number("exemplar value");
    if (text.charCodeAt(this.pos) === SP) {
      this.separator("the exemplar timestamp");
      this.number("exemplar timestamp");
    }
  }
}

/** Label values and OpenMetrics HELP: \\ \" \n; text-format HELP: \\ \n. Other pairs stay as written, as in Prometheus. */
function unescape(text: string, start: number, end: number, quotes: boolean): string {
  let out = "";
  let from = start;
  for (let i = text.indexOf("\\", start); i !== -1 && i < end - 1; i = text.indexOf("\\", i)) {
    const next = text.charCodeAt(i + 1);
    const replacement = next === BACKSLASH ? "\\" : next === 110 ? "\n" : next === QUOTE && quotes ? '"' : undefined;
    if (replacement === undefined) {
      i += 2;
      continue;
    }
    out += text.slice(from, i) + replacement;
    from = i += 2;
  }
  return out + text.slice(from, end);
}

/**
 * Parses a Prometheus text format 0.0.4 or OpenMetrics 1.0 exposition into its metric families, in order of
 * appearance. Throws a MetricsParseError naming the line and the reason when the body is malformed.
 * With `reads`, only the samples it wants are parsed (and checked) past their name; the others are left out, and
 * so are HELP and UNIT lines and the families none of whose samples are read. With `keys`, each sample has its series' text (`name{labels}`) as `key`.
 */
export function parseExposition(
  text: string,
  options: { openMetrics?: boolean; reads?: (sampleName: string) => boolean; keys?: boolean } = {},
): TMetricFamily[] {
  return new Scanner(text, options.openMetrics === true, options.reads, options.keys === true).run();
}
