// Where a V8 CPU profile (`node --cpu-prof`) spent its self time: by function and by module, for a benchmark's notes.
import { readFileSync } from "node:fs";

type TNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type TProfile = { nodes: TNode[]; samples: number[]; timeDeltas: number[] };
export type TShare = { name: string; selfMs: number; share: number };

// node_modules/<package>, lib/<file>, node:<module>, or V8's own entries such as (garbage collector).
function moduleOf({ functionName, url }: TNode["callFrame"]): string {
  if (!url) return functionName.startsWith("(") ? functionName : `native ${functionName}`;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  if (url.startsWith("wasm://")) return "wasm (Prisma's query compiler)";
  const own = /\/((?:lib|collector|bench)\/.+)$/.exec(url);
  return own ? own[1]! : url.replace(/^node:internal\//, "node:");
}

/** Self time by function and by module, idle left out; `skipMs` drops the profile's first moments (start-up, warm-up). */
export function profileShares(file: string, { limit = 25, skipMs = 0 }: { limit?: number; skipMs?: number } = {}) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as TProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let elapsedUs = 0;
  let busyUs = 0;
  // Each sample is charged the time until the next one, as Chrome DevTools does.
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    elapsedUs += profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || delta <= 0 || elapsedUs < skipMs * 1000 || node.callFrame.functionName === "(idle)") return;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"}${url ? ` ${moduleOf(node.callFrame)}:${lineNumber + 1}` : ""}`;
    functions.set(name, (functions.get(name) ?? 0) + delta);
    modules.set(moduleOf(node.callFrame), (modules.get(moduleOf(node.callFrame)) ?? 0) + delta);
    busyUs += delta;
  });
  const top = (map: Map<string, number>): TShare[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs ? us / busyUs : 0 }));
  return { busyMs: busyUs / 1000, functions: top(functions), modules: top(modules) };
}
