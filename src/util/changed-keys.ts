// Which settings differ between two records of them (a run's checkpoint and this run's config,
// an experiment's manifest and this version's plan): the keys whose JSON differs, or that only
// one side has.
export function changedKeys(before: Readonly<Record<string, unknown>>, now: Readonly<Record<string, unknown>>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(now)]);
  return [...names].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(now[k]));
}
