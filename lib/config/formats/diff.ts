// A line diff (Myers, O((N+M)·D)): our own 60 lines rather than a dependency, and the same code shows a
// diff in the browser before publishing and in a conflict the server answers with.

export type TDiffLine = { kind: "same" | "added" | "removed"; text: string; oldLine: number | null; newLine: number | null };

export function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
}

// Past this many edits the diff is shown as everything replaced: the trace would cost too much memory.
const maxEdits = 4000;

/** The lines of `before` and `after` in order, each kept, added or removed; the shortest such script. */
export function diffLines(before: string, after: string): TDiffLine[] {
  const all = { a: splitLines(before), b: splitLines(after) };
  // The common head and tail are kept as they are; Myers runs on what lies between.
  let head = 0;
  while (head < all.a.length && head < all.b.length && all.a[head] === all.b[head]) head += 1;
  let tail = 0;
  while (tail < all.a.length - head && tail < all.b.length - head && all.a[all.a.length - 1 - tail] === all.b[all.b.length - 1 - tail]) tail += 1;
  const same = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({
      kind: "same" as const,
      text: all.a[from + i]!,
      oldLine: from + i + 1,
      newLine: from + i + 1 + all.b.length - all.a.length,
    }));
  const middle = myers(all.a.slice(head, all.a.length - tail), all.b.slice(head, all.b.length - tail)).map((line) => ({
    ...line,
    oldLine: line.oldLine === null ? null : line.oldLine + head,
    newLine: line.newLine === null ? null : line.newLine + head,
  }));
  const start = Array.from({ length: head }, (_, i) => ({ kind: "same" as const, text: all.a[i]!, oldLine: i + 1, newLine: i + 1 }));
  return [...start, ...middle, ...same(all.a.length - tail, all.a.length)];
}

function myers(a: string[], b: string[]): TDiffLine[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = max === 0;
  for (let d = 0; d <= max && !found; d += 1) {
    if (d > maxEdits)
      return [
        ...a.map((text, i) => ({ kind: "removed" as const, text, oldLine: i + 1, newLine: null })),
        ...b.map((text, i) => ({ kind: "added" as const, text, oldLine: null, newLine: i + 1 })),
      ];
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from the end, one edit per step.
  const script: TDiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const row = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && row[offset + k - 1]! < row[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : row[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x -= 1;
      y -= 1;
      script.push({ kind: "same", text: a[x]!, oldLine: x + 1, newLine: y + 1 });
    }
    if (d === 0) break;
    if (down) {
      y -= 1;
      script.push({ kind: "added", text: b[y]!, oldLine: null, newLine: y + 1 });
    } else {
      x -= 1;
      script.push({ kind: "removed", text: a[x]!, oldLine: x + 1, newLine: null });
    }
  }
  return script.reverse();
}

/** Lines added and removed, for a summary ("+3 −1"). */
export function diffStats(lines: TDiffLine[]) {
  return { added: lines.filter((line) => line.kind === "added").length, removed: lines.filter((line) => line.kind === "removed").length };
}
