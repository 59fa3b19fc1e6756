// Prometheus text format 0.0.4 and OpenMetrics 1.0 in one hand-written pass over the body's bytes: the collector
// parses every target every scrape, so this is the hot loop of metrics collection, and a body decoded to a string
// (23 KB a scrape, in a 2 MB young generation) was most of its garbage.
import { Buffer } from "node:buffer";
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
const charClass = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= ZERO && c <= NINE;
  charClass[c] = (letter || c === 58 ? NAME_START | NAME_PART : 0) | (digit ? NAME_PART | LABEL_PART : 0) | (letter ? LABEL_START | LABEL_PART : 0);
}
// Past the end of the body a read is undefined, which indexes nothing: no class.
const isClass = (c: number, mask: number) => (charClass[c]! & mask) !== 0;

// Names and short label values repeat across lines and scrapes: interning them keeps one string per name
// (object keys stay the same strings), read from the bytes only the first time.
const INTERN_MAX_COUNT = 1 << 15;
const INTERN_MAX_LENGTH = 64;
const interned = new Map<string, string>();

// Before the map, a direct-mapped table of the strings interned lately: a name or value met before is found by
// comparing it in place with the body's bytes, with no string made to look it up.
const RECENT_SLOTS = 4096;
const recent: (string | undefined)[] = new Array<string | undefined>(RECENT_SLOTS).fill(undefined);
// Every byte counts: names of one exporter share their first and last chars, and would share slots.
function slotOf(bytes: Buffer, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (hash * 31 + bytes[i]!) | 0;
  return (hash ^ (hash >>> 12)) & (RECENT_SLOTS - 1);
}

/**
 * True when bytes[start, end) are `word`'s chars, compared in place. Only ASCII words are compared so: a string
 * with other chars (kept from the recent table, below) never has one char per byte.
 */
const isAt = (bytes: Buffer, start: number, end: number, word: string) => {
  if (word.length !== end - start) return false;
  for (let k = 0; k < word.length; k++) if (word.charCodeAt(k) !== bytes[start + k]) return false;
  return true;
};

function intern(bytes: Buffer, start: number, end: number): string {
  if (end - start > INTERN_MAX_LENGTH) return bytes.toString("utf8", start, end);
  if (end === start) return "";
  const slot = slotOf(bytes, start, end);
  const hit = recent[slot];
  if (hit !== undefined && isAt(bytes, start, end, hit)) return hit;
  const text = bytes.toString("utf8", start, end);
  let found = interned.get(text);
  if (found === undefined) {
    if (interned.size >= INTERN_MAX_COUNT) interned.clear();
    interned.set(text, (found = text));
  }
  // Only a string of one char per byte is compared in place (see isAt): one decoded from UTF-8 is not.
  if (found.length === end - start) recent[slot] = found;
  return found;
}

// 10^0..10^22 are exact doubles, so digits / 10^k is correctly rounded when the digits fit in 2^53 (Clinger's fast path).
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Parses a Go `strconv.ParseFloat` literal in bytes[start, end) as Prometheus accepts it; null when it is not one. */
function numberAt(bytes: Buffer, start: number, end: number): number | null {
  let i = start;
  let c = bytes[i]!;
  const negative = c === MINUS;
  if (negative || c === PLUS) c = bytes[++i]!;
  if (c > NINE) return special(bytes, start, end, i);
  let mantissa = 0,
    significant = 0,
    exponent = 0,
    digits = 0,
    dot = false;
  for (; i < end; c = bytes[++i]!) {
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
    c = bytes[++i]!;
    const negativeExponent = c === MINUS;
    if (negativeExponent || c === PLUS) c = bytes[++i]!;
    let e = 0,
      exponentDigits = 0;
    for (; i < end && c >= ZERO && c <= NINE; c = bytes[++i]!, exponentDigits++) e = e * 10 + (c - ZERO);
    if (exponentDigits === 0 || i < end) return null;
    exponent += negativeExponent ? -e : e;
  }
  if (significant <= 15 && exponent >= -22 && exponent <= 22) {
    const magnitude = exponent < 0 ? mantissa / POW10[-exponent]! : mantissa * POW10[exponent]!;
    return negative ? -magnitude : magnitude;
  }
  // The literal is valid (checked above); only its rounding needs the full algorithm.
  const value = Number(bytes.toString("latin1", start, end));
  return Number.isFinite(value) ? value : null;
}

// Go accepts [+-]inf, [+-]infinity and nan in any case.
function special(bytes: Buffer, start: number, end: number, i: number): number | null {
  if (isWord(bytes, i, end, "inf") || isWord(bytes, i, end, "infinity")) return bytes[start] === MINUS ? -Infinity : Infinity;
  return i === start && isWord(bytes, i, end, "nan") ? NaN : null;
}

/** Case-insensitive comparison of bytes[start, end) with a lower-case ASCII word. */
function isWord(bytes: Buffer, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if ((bytes[start + k]! | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

// Short literals (a bucket's `le`) are parsed from this, not from a new buffer each.
const scratch = Buffer.alloc(64);

/** Parses a Go `strconv.ParseFloat` literal, text[start, end), as Prometheus accepts it; null when it is not one. */
export function parseNumber(text: string, start: number, end: number): number | null {
  if (end - start > scratch.length) return numberAt(Buffer.from(text.slice(start, end), "utf8"), 0, Buffer.byteLength(text.slice(start, end)));
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    // Any other char makes the literal invalid, as a byte that is no digit, sign, dot, e, or letter of inf/nan does.
    scratch[k - start] = c < 128 ? c : 0;
  }
  return numberAt(scratch, 0, end - start);
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
  return cached && cached.type === type ? cached.members : newMembersOf(name, type);
}

// Apart from membersOf: a closure over `name` there would make a context on every call, found or not.
function newMembersOf(name: string, type: TMetricType): string[] {
  if (membersCache.size >= 20_000) membersCache.clear();
  const members = SUFFIXES[type].map((suffix) => {
    const member = name + suffix;
    return interned.get(member) ?? (interned.set(member, member), member);
  });
  membersCache.set(name, { type, members });
  return members;
}

/** Label values and OpenMetrics HELP: \\ \" \n; text-format HELP: \\ \n. Other pairs stay as written, as in Prometheus. */
function unescape(text: string, quotes: boolean): string {
  let out = "";
  let from = 0;
  for (let i = text.indexOf("\\"); i !== -1 && i < text.length - 1; i = text.indexOf("\\", i)) {
    const next = text.charCodeAt(i + 1);
    const replacement = next === BACKSLASH ? "\\" : next === 110 ? "\n" : next === QUOTE && quotes ? '"' : undefined;
    if (replacement === undefined) {
      i += 2;
      continue;
    }
    out += text.slice(from, i) + replacement;
    from = i += 2;
  }
  return out + text.slice(from);
}

// Label values read as numbers, by value.
const numbers = new Map<string, number | null>();

/**
 * The labels of the sample being read, in place in the body: names interned, values made into strings only when
 * asked for (and then interned), numbers read from the bytes. Valid until the next sample.
 */
export class SampleLabels {
  count = 0;
  private bytes: Buffer = scratch;
  private readonly names: string[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly escaped: boolean[] = [];
  private readonly values: (string | undefined)[] = [];

  reset(bytes: Buffer) {
    this.bytes = bytes;
    this.count = 0;
  }

  push(name: string, start: number, end: number, escaped: boolean) {
    const k = this.count++;
    this.names[k] = name;
    this.starts[k] = start;
    this.ends[k] = end;
    this.escaped[k] = escaped;
    this.values[k] = undefined;
  }

  nameAt(k: number): string {
    return this.names[k]!;
  }

  indexOf(name: string): number {
    for (let k = 0; k < this.count; k++) if (this.names[k] === name) return k;
    return -1;
  }

  valueAt(k: number): string {
    let value = this.values[k];
    if (value === undefined) {
      const start = this.starts[k]!,
        end = this.ends[k]!;
      value = this.values[k] = this.escaped[k] ? unescape(this.bytes.toString("utf8", start, end), true) : intern(this.bytes, start, end);
    }
    return value;
  }

  get(name: string): string | undefined {
    const k = this.indexOf(name);
    return k === -1 ? undefined : this.valueAt(k);
  }

  /** The label's value as a Prometheus float (a bucket's `le`, a quantile); null if absent or not one. */
  number(name: string): number | null {
    const k = this.indexOf(name);
    if (k === -1) return null;
    const value = this.valueAt(k);
    // Bounds repeat in every series and scrape: each parsed once, not made a new number each time.
    let number = numbers.get(value);
    if (number === undefined) {
      if (numbers.size >= INTERN_MAX_COUNT) numbers.clear();
      numbers.set(value, (number = parseNumber(value, 0, value.length)));
    }
    return number;
  }

  /** The label set as one string, in the order written, leaving out `skip`. */
  pairs(skip: string): string {
    let pairs = "";
    for (let k = 0; k < this.count; k++) if (this.names[k] !== skip) pairs += `${this.names[k]}\u0000${this.valueAt(k)}\u0001`;
    return pairs;
  }

  toRecord(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (let k = 0; k < this.count; k++) {
      const name = this.names[k]!;
      // A label named __proto__ would set the prototype instead of a property.
      if (name === "__proto__") Object.defineProperty(labels, name, { value: this.valueAt(k), enumerable: true, writable: true, configurable: true });
      else labels[name] = this.valueAt(k);
    }
    return labels;
  }
}

/** One sample as the scanner hands it over: the same object each time, valid only during the call. */
export class ScannedSample {
  /** The family's type, as declared by TYPE (or untyped / unknown). */
  type: TMetricType = "untyped";
  name = "";
  readonly labels = new SampleLabels();
  value = 0;
  timestampMs: number | undefined = undefined;
  /** The series as written (`name{labels}`, spaces before the value left out) is bytes[keyStart, keyEnd). */
  bytes: Buffer = scratch;
  keyStart = 0;
  keyEnd = 0;
}

/** What a reader of a scrape gives the scanner: which samples it reads, and where they go. */
export type TSampleReader = {
  /** Whether a sample of this name is read at all; the others are not parsed past their name. */
  reads?: (sampleName: string) => boolean;
  sample: (sample: ScannedSample, family: TMetricFamily) => void;
};

type TFamilyState = { family: TMetricFamily; typed: boolean; sampled: boolean; members: string[]; bucket: string | undefined };

class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly end: number;
  private readonly families: TMetricFamily[] = [];
  private readonly byName = new Map<string, TFamilyState>();
  private current: TFamilyState | undefined;
  private sawEof = false;
  private readonly reads: ((sampleName: string) => boolean) | undefined;
  private readonly scanned: ScannedSample;

  constructor(
    private readonly bytes: Buffer,
    private readonly openMetrics: boolean,
    private readonly reader: TSampleReader,
    scanned: ScannedSample,
  ) {
    this.end = bytes.length;
    this.reads = reader.reads;
    this.scanned = scanned;
    scanned.bytes = bytes;
  }

  run(): TMetricFamily[] {
    const { bytes, end } = this;
    while (this.pos < end) {
      let c = bytes[this.pos]!;
      if (!this.openMetrics) {
        while (c === SP || c === TAB) c = bytes[++this.pos]!;
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
        this.lineStart = bytes.lastIndexOf(LF, end - 2) + 1;
      }
      this.fail("missing # EOF at the end of an OpenMetrics body");
    }
    return this.families;
  }

  private fail(reason: string): never {
    const lineEnd = this.bytes.indexOf(LF, this.lineStart);
    const line = this.bytes.toString("utf8", this.lineStart, lineEnd === -1 ? this.end : lineEnd);
    throw new MetricsParseError(this.line, reason, line.replace(/\r$/, ""));
  }

  /** Consumes an optional CR and the LF (or the end of the input); `trailing` allows spaces before it in text format. */
  private endLine(trailing: boolean, where = "at the end of the line") {
    const { bytes } = this;
    let c = bytes[this.pos]!;
    if (trailing && !this.openMetrics) while (c === SP || c === TAB) c = bytes[++this.pos]!;
    if (c === CR) c = bytes[++this.pos]!;
    if (this.pos >= this.end) return;
    if (c !== LF) this.fail(`unexpected ${JSON.stringify(this.charAt(this.pos))} ${where}`);
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** The whole UTF-8 char at `at`, for a message. */
  private charAt(at: number): string {
    let end = at + 1;
    while (end < this.end && (this.bytes[end]! & 0xc0) === 0x80) end++;
    return this.bytes.toString("utf8", at, end);
  }

  private skipBlanks() {
    const { bytes } = this;
    let c = bytes[this.pos]!;
    while (c === SP || c === TAB) c = bytes[++this.pos]!;
  }

  /** The separator between tokens: one space in OpenMetrics, any run of spaces and tabs in text format. */
  private separator(what: string) {
    const c = this.bytes[this.pos]!;
    if (this.openMetrics) {
      if (c !== SP) this.fail(`expected a single space before ${what}`);
      this.pos++;
      if (this.bytes[this.pos] === SP) this.fail(`expected a single space before ${what}`);
    } else {
      if (c !== SP && c !== TAB) this.fail(`expected a space before ${what}`);
      this.skipBlanks();
    }
  }

  private restOfLine(): string {
    const lineEnd = this.bytes.indexOf(LF, this.pos);
    const stop = lineEnd === -1 ? this.end : lineEnd;
    const rest = this.bytes.toString("utf8", this.pos, stop > this.pos && this.bytes[stop - 1] === CR ? stop - 1 : stop);
    this.pos = stop;
    return rest;
  }

  /** True when the bytes at `pos` start with the ASCII `word`. */
  private startsWith(word: string, pos: number): boolean {
    return pos + word.length <= this.end && isAt(this.bytes, pos, pos + word.length, word);
  }

  private comment() {
    const { bytes } = this;
    const afterHash = bytes[++this.pos]!;
    if (this.openMetrics ? afterHash !== SP : afterHash !== SP && afterHash !== TAB) return this.skipLine();
    this.skipBlanks();
    const first = bytes[this.pos]!;
    if (first === 69 && this.openMetrics && this.startsWith("EOF", this.pos)) {
      this.pos += 3;
      this.sawEof = true;
      return this.endLine(false);
    }
    const keyword = first === 72 ? "HELP" : first === 84 ? "TYPE" : first === 85 && this.openMetrics ? "UNIT" : undefined;
    const afterKeyword = bytes[this.pos + 4]!;
    if (!keyword || (afterKeyword !== SP && afterKeyword !== TAB) || !this.startsWith(keyword, this.pos)) return this.skipLine();
    this.pos += 4;
    this.skipBlanks();
    const name = this.metricName(keyword);
    const c = bytes[this.pos]!;
    if (c !== SP && c !== TAB && c !== LF && c !== CR && this.pos < this.end) this.fail(`invalid metric name in ${keyword}`);
    // A reader of some samples has no use for help texts and units, nor for a family none of whose samples it reads.
    if (this.reads && keyword !== "TYPE") return this.skipLine();
    if (c === SP || c === TAB) this.pos++;
    if (keyword === "TYPE") this.setType(name);
    else {
      const rest = this.restOfLine();
      if (keyword === "HELP") this.setHelp(name, rest);
      else this.metadata(name).family.unit = rest.trim();
    }
    this.endLine(false);
  }

  private skipLine() {
    const lineEnd = this.bytes.indexOf(LF, this.pos);
    this.pos = lineEnd === -1 ? this.end : lineEnd;
    this.endLine(false);
  }

  private setHelp(name: string, raw: string) {
    const state = this.metadata(name);
    // OpenMetrics escapes \\ \" \n in HELP; the text format only \\ and \n (Prometheus leaves other pairs as they are).
    state.family.help = raw.indexOf("\\") === -1 ? raw : unescape(raw, this.openMetrics);
  }

  /** The rest of a TYPE line: read in place, a type met before is not a new string. */
  private setType(name: string) {
    const { bytes } = this;
    let start = this.pos;
    const lineEnd = bytes.indexOf(LF, start);
    let end = lineEnd === -1 ? this.end : lineEnd;
    this.pos = end;
    if (end > start && bytes[end - 1] === CR) end--;
    while (start < end && bytes[start]! <= SP) start++;
    while (end > start && bytes[end - 1]! <= SP) end--;
    const type = intern(bytes, start, end);
    if (!TYPES.has(type)) this.fail(`unknown metric type ${JSON.stringify(type)}`);
    const metricType = type as TMetricType;
    const { reads } = this;
    if (reads && !this.byName.has(name) && !reads(name) && !membersOf(name, metricType).some(reads)) return;
    const state = this.metadata(name);
    if (state.typed) {
      if (state.family.type !== type) this.fail(`second TYPE line for ${name}`);
      return;
    }
    if (state.sampled) this.fail(`TYPE line for ${name} after its samples`);
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
    const state: TFamilyState = { family, typed: false, sampled: false, members: [], bucket: undefined };
    this.families.push(family);
    this.byName.set(name, state);
    return state;
  }

  /**
   * The name of the sample at bytes[start, end), its family made `this.current`. Samples follow their family's
   * metadata, so comparing with the current family's names nearly always answers without a lookup.
   */
  private sampleName(start: number, end: number): string {
    const { bytes } = this;
    const current = this.current;
    if (current) {
      if (isAt(bytes, start, end, current.family.name)) return current.family.name;
      for (const member of current.members) if (isAt(bytes, start, end, member)) return member;
    }
    const name = intern(bytes, start, end);
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
  private metricName(keyword: string): string {
    const { bytes } = this;
    const start = this.pos;
    let c = bytes[start]!;
    if (!isClass(c, NAME_START)) this.fail(`expected a metric name after ${keyword}`);
    do c = bytes[++this.pos]!;
    while (isClass(c, NAME_PART));
    const previous = this.current?.family.name;
    if (previous !== undefined && isAt(bytes, start, this.pos, previous)) return previous;
    return intern(bytes, start, this.pos);
  }

  private sample() {
    const { bytes, scanned } = this;
    const start = this.pos;
    let c = bytes[start]!;
    if (!isClass(c, NAME_START)) this.fail("expected a metric name or a comment");
    do c = bytes[++this.pos]!;
    while (isClass(c, NAME_PART));
    const nameEnd = this.pos;
    const name = this.sampleName(start, nameEnd);
    // A sample nobody reads is not parsed past its name: no labels, value or object for it.
    if (this.reads && !this.reads(name)) return this.skipLine();
    if (!this.openMetrics) this.skipBlanks();
    c = bytes[this.pos]!;
    scanned.labels.reset(bytes);
    if (c === OPEN) {
      this.pos++;
      this.labels(scanned.labels);
      if (!this.openMetrics) this.skipBlanks();
      else this.separator("the value");
    } else {
      if (this.openMetrics) this.separator("the value");
      else if (this.pos === nameEnd && this.pos < this.end && c !== LF && c !== CR)
        this.fail(`invalid character ${JSON.stringify(this.charAt(this.pos))} after metric name ${name}`);
    }
    // The series' key is its text as the target wrote it, name and labels, up to the spaces before the value.
    let keyEnd = this.pos;
    for (let b = bytes[keyEnd - 1]; b === SP || b === TAB; b = bytes[--keyEnd - 1]);
    scanned.name = name;
    scanned.keyStart = start;
    scanned.keyEnd = keyEnd;
    scanned.value = this.number("value");
    scanned.timestampMs = undefined;
    c = bytes[this.pos]!;
    if (c === SP || (c === TAB && !this.openMetrics)) {
      this.separator("the timestamp");
      c = bytes[this.pos]!;
      if (c === HASH && this.openMetrics) this.exemplar();
      else if (c !== LF && c !== CR && this.pos < this.end) {
        scanned.timestampMs = this.timestamp();
        if (this.openMetrics && bytes[this.pos] === SP) {
          this.separator("the exemplar");
          this.exemplar();
        }
      }
    }
    this.add(scanned);
    this.endLine(true, "after the sample");
  }

  private add(sample: ScannedSample) {
    const state = this.current!;
    const { family } = state;
    const { labels } = sample;
    if (state.bucket === sample.name) {
      const k = labels.indexOf("le");
      if (k === -1) this.fail(`histogram bucket ${sample.name} has no "le" label`);
      if (labels.number("le") === null) this.fail(`invalid "le" value ${JSON.stringify(labels.valueAt(k))}`);
    } else if (family.type === "summary" && sample.name === family.name) {
      const k = labels.indexOf("quantile");
      if (k === -1) this.fail(`summary sample ${sample.name} has no "quantile" label`);
      if (labels.number("quantile") === null) this.fail(`invalid "quantile" value ${JSON.stringify(labels.valueAt(k))}`);
    }
    state.sampled = true;
    sample.type = family.type;
    this.reader.sample(sample, family);
  }

  private labels(labels: SampleLabels) {
    const { bytes, openMetrics } = this;
    for (;;) {
      if (!openMetrics) this.skipBlanks();
      let c = bytes[this.pos]!;
      if (c === CLOSE) break;
      const nameStart = this.pos;
      if (!isClass(c, LABEL_START)) this.fail(`expected a label name or "}"`);
      do c = bytes[++this.pos]!;
      while (isClass(c, LABEL_PART));
      const name = intern(bytes, nameStart, this.pos);
      if (!openMetrics) this.skipBlanks();
      if (bytes[this.pos] !== EQUALS) this.fail(`expected "=" after label name ${name}`);
      this.pos++;
      if (!openMetrics) this.skipBlanks();
      if (bytes[this.pos] !== QUOTE) this.fail(`expected a quoted value for label ${name}`);
      const valueStart = ++this.pos;
      let escaped = false;
      for (c = bytes[this.pos]!; c !== QUOTE; c = bytes[++this.pos]!) {
        if (c === LF || this.pos >= this.end) this.fail(`unterminated value for label ${name}`);
        if (c === BACKSLASH) {
          escaped = true;
          c = bytes[++this.pos]!;
          if (c === LF || this.pos >= this.end) this.fail(`unterminated value for label ${name}`);
        }
      }
      if (labels.indexOf(name) !== -1) this.fail(`duplicate label ${name}`);
      labels.push(name, valueStart, this.pos, escaped);
      this.pos++;
      if (!openMetrics) this.skipBlanks();
      c = bytes[this.pos]!;
      if (c === COMMA) this.pos++;
      else if (c !== CLOSE) this.fail(`expected "," or "}" after the value of label ${name}`);
    }
    this.pos++;
  }

  /** Advances to the end of a value or timestamp token: a space, a line break (or, in text format, a tab). */
  private skipToken() {
    const { bytes } = this;
    let c = bytes[this.pos]!;
    while (this.pos < this.end && c !== SP && c !== LF && c !== CR && (c !== TAB || this.openMetrics)) c = bytes[++this.pos]!;
  }

  private number(what: string): number {
    const start = this.pos;
    this.skipToken();
    const end = this.pos;
    if (start === end) this.fail(`expected a ${what}`);
    const value = numberAt(this.bytes, start, end);
    if (value === null) this.fail(`invalid ${what} ${JSON.stringify(this.bytes.toString("utf8", start, end))}`);
    return value;
  }

  /** Text format: integer milliseconds. OpenMetrics: seconds as a float, returned in milliseconds. */
  private timestamp(): number {
    const start = this.pos;
    if (this.openMetrics) {
      const seconds = this.number("timestamp");
      if (!Number.isFinite(seconds)) this.fail(`invalid timestamp ${JSON.stringify(this.bytes.toString("utf8", start, this.pos))}`);
      return Math.round(seconds * 1000);
    }
    this.skipToken();
    const end = this.pos;
    let ms = 0;
    for (let i = start; i < end; i++) {
      const c = this.bytes[i]!;
      if (c < ZERO || c > NINE || end - start > 19) this.fail(`invalid timestamp ${JSON.stringify(this.bytes.toString("utf8", start, end))}`);
      ms = ms * 10 + (c - ZERO);
    }
    return end - start > 15 ? Number(this.bytes.toString("latin1", start, end)) : ms;
  }

  /** Exemplars (` # {trace_id="..."} 0.1 1700000000.0`) are not used: checked for shape, then skipped. */
  private exemplar() {
    const { bytes } = this;
    if (bytes[this.pos] !== HASH || bytes[this.pos + 1] !== SP || bytes[this.pos + 2] !== OPEN) {
      this.fail("expected an exemplar after the value");
    }
    // Trace ids are unique: scanning past the label set, not parsing it, keeps them out of the intern table.
    for (let c = bytes[(this.pos += 3)]!; c !== CLOSE; c = bytes[++this.pos]!) {
      if (c === LF || this.pos >= this.end) this.fail("unterminated exemplar");
      if (c !== QUOTE) continue;
      for (c = bytes[++this.pos]!; c !== QUOTE; c = bytes[++this.pos]!) {
        if (c === LF || this.pos >= this.end) this.fail("unterminated exemplar");
        if (c === BACKSLASH) this.pos++;
      }
    }
    this.pos++;
    this.separator("the exemplar value");
    this.number("exemplar value");
    if (bytes[this.pos] === SP) {
      this.separator("the exemplar timestamp");
      this.number("exemplar timestamp");
    }
  }
}

// Scans are synchronous and never nested: one sample object serves them all.
const shared = new ScannedSample();

/**
 * Reads an exposition's bytes without decoding them to a string, handing each sample `reader` reads to
 * `reader.sample` (the same object each time, valid only during the call). Returns the families it read from, with
 * no samples in them. Throws a MetricsParseError naming the line and the reason when the body is malformed; the
 * samples before it were handed over.
 */
export function scanExposition(bytes: Uint8Array, options: { openMetrics?: boolean; reader: TSampleReader }): TMetricFamily[] {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return new Scanner(buffer, options.openMetrics === true, options.reader, shared).run();
  } finally {
    // Nothing of this body stays reachable from the shared object.
    shared.bytes = scratch;
    shared.labels.reset(scratch);
  }
}

/**
 * Parses a Prometheus text format 0.0.4 or OpenMetrics 1.0 exposition into its metric families, in order of
 * appearance. Throws a MetricsParseError naming the line and the reason when the body is malformed.
 * With `reads`, only the samples it wants are parsed (and checked) past their name; the others are left out, and
 * so are HELP and UNIT lines and the families none of whose samples are read. With `keys`, each sample has its series' text (`name{labels}`) as `key`.
 */
export function parseExposition(
  body: string | Uint8Array,
  options: { openMetrics?: boolean; reads?: (sampleName: string) => boolean; keys?: boolean } = {},
): TMetricFamily[] {
  const keys = options.keys === true;
  return scanExposition(typeof body === "string" ? Buffer.from(body, "utf8") : body, {
    openMetrics: options.openMetrics,
    reader: {
      reads: options.reads,
      sample: (scanned, family) => {
        const sample: TSample = { name: scanned.name, labels: scanned.labels.toRecord(), value: scanned.value };
        if (scanned.timestampMs !== undefined) sample.timestampMs = scanned.timestampMs;
        if (keys) sample.key = scanned.bytes.toString("utf8", scanned.keyStart, scanned.keyEnd);
        family.samples.push(sample);
      },
    },
  });
}
