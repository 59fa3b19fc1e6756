/** "1 item", "3 items": a count with its noun, for messages and labels. */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
