// The columns of a rule, and of an alert with its rule, as every alert read shapes them (one place, no import cycle).

export const ruleSelect = {
  id: true,
  name: true,
  service: true,
  tag: true,
  kind: true,
  threshold: true,
  windowMs: true,
  forMs: true,
  objective: true,
  sloWindowMs: true,
  severity: true,
  enabled: true,
} as const;

/** An alert as stored, with its rule: what the page lists and what Alertmanager is told. */
export const alertStateSelect = {
  ruleId: true,
  service: true,
  state: true,
  activeAt: true,
  changedAt: true,
  value: true,
  rule: { select: ruleSelect },
} as const;
