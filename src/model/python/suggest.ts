/**
 * "Did you mean" for names: the candidate closest to a missing name, preferring one that contains
 * it or is contained in it (`settings` → `get_settings`), then the smallest edit distance.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  // `from config import settings` next to `def get_settings()`: the accessor is what was meant
  const accessor = candidates.find((c) => /^(get|load|make|create|build|init)_/.test(c) && c.slice(c.indexOf('_') + 1) === name);
  if (accessor) return accessor;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const cl = c.toLowerCase();
    let score: number;
    if (cl === lower) score = 0;
    else if (cl.includes(lower) || lower.includes(cl)) score = 1 + Math.abs(cl.length - lower.length) / 100;
    else {
      const d = editDistance(lower, cl);
      if (d > Math.max(2, Math.floor(Math.max(lower.length, cl.length) / 3))) continue;
      score = 2 + d;
    }
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

/** Levenshtein distance, bounded work (names are short). */
export function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.abs(a.length - b.length) + 64;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
