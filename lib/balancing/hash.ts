// MurmurHash3 x86_32: fast in JavaScript, well mixed, and the same numbers any other implementation gives for the
// same bytes, should another language ever need to place keys on the gateway's ring.

/** MurmurHash3 x86_32 of a string's UTF-16LE bytes, hashed without encoding the string. */
export function murmur3(text: string, seed = 0): number {
  let h = seed | 0;
  const n = text.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixState(h, text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
  if (i < n) h ^= mixBlock(text.charCodeAt(i));
  return finish(h, n * 2);
}

/** MurmurHash3 x86_32 of three unsigned 32-bit integers as 12 little-endian bytes, with no string built. */
export function murmur3Ints(a: number, b: number, c: number, seed = 0): number {
  return finish(mixState(mixState(mixState(seed | 0, a), b), c), 12);
}

function mixBlock(block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

function mixState(h: number, block: number): number {
  h ^= mixBlock(block);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
