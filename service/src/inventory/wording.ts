// Counts in notes and summaries read as English: "1 unit", "2.5 units", "1 pack of 12".

/** `n` followed by the noun, singular only for exactly 1. */
export function count(n: number | string, noun: string, plural = `${noun}s`): string {
  return `${n} ${Number(n) === 1 ? noun : plural}`;
}
