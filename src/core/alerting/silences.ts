import { ConfigError } from '../errors.js';
import { canonicalJson, sha256Hex } from '../keys.js';
import type { Labels } from './labels.js';
import { type Matcher, matchesAll, parseMatchers } from './matchers.js';

/** A silence as written in config (Alertmanager names); times are ISO 8601. */
export interface SilenceSpec {
  id?: string | undefined;
  matchers: readonly string[];
  starts_at: string;
  ends_at: string;
  created_by: string;
  comment: string;
}

/** A silence as stored and evaluated: plain data, times in epoch milliseconds. */
export interface Silence {
  id: string;
  matchers: readonly Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

export type SilenceState = 'pending' | 'active' | 'expired';

/** Compiles a validated spec; its id is the given one or a hash of its content, so it is stable across runs. */
export function compileSilence(spec: SilenceSpec, path = 'silences'): Silence {
  const parsed = parseMatchers(spec.matchers);
  if (!parsed.ok) throw new ConfigError(`${path}.matchers: ${parsed.error}`);
  const startsAtMs = Date.parse(spec.starts_at);
  const endsAtMs = Date.parse(spec.ends_at);
  if (Number.isNaN(startsAtMs) || Number.isNaN(endsAtMs) || endsAtMs <= startsAtMs) {
    throw new ConfigError(`${path}: starts_at and ends_at must be ISO 8601 times with starts_at < ends_at`);
  }
  const { id, ...content } = spec;
  return {
    id: id ?? `cfg-${sha256Hex(canonicalJson(content)).slice(0, 12)}`,
    matchers: parsed.value,
    startsAtMs,
    endsAtMs,
    createdBy: spec.created_by,
    comment: spec.comment,
  };
}

/** Active on [startsAtMs, endsAtMs). */
export function silenceState(silence: Silence, nowMs: number): SilenceState {
  if (nowMs < silence.startsAtMs) return 'pending';
  return nowMs < silence.endsAtMs ? 'active' : 'expired';
}

/** The first active silence that matches the labels, if any. */
export function silencedBy(labels: Labels, silences: readonly Silence[], nowMs: number): Silence | undefined {
  return silences.find((s) => silenceState(s, nowMs) === 'active' && matchesAll(s.matchers, labels));
}

/** Silences by state; `config validate` fails on `expired` ones, which are dead config. */
export function validateSilences(
  silences: readonly Silence[],
  nowMs: number,
): Record<SilenceState, Silence[]> {
  const out: Record<SilenceState, Silence[]> = { pending: [], active: [], expired: [] };
  for (const s of silences) out[silenceState(s, nowMs)].push(s);
  return out;
}
