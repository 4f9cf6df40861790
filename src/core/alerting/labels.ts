/** A label set: what matchers, grouping, silences and inhibition read. A missing label reads as "". */
export type Labels = Readonly<Record<string, string>>;

/** Value of a label, with Alertmanager's rule that an absent label equals the empty string. */
export function labelValue(labels: Labels, name: string): string {
  return Object.hasOwn(labels, name) ? (labels[name] ?? '') : '';
}
