import type { RecommendationAction } from './commitment-review.js';

export const ACTION_LABELS: Readonly<Record<RecommendationAction, string>> = {
  keep: 'Keep',
  'reduce-units': 'Reduce units',
  'let-expire': 'Let expire / do not renew',
  'move-to-on-demand': 'Move to on-demand',
  verify: 'Verify utilization',
};

export const ACTION_COLORS: Readonly<Record<RecommendationAction, string>> = {
  keep: '#009E73',
  'reduce-units': '#E69F00',
  'let-expire': '#D55E00',
  'move-to-on-demand': '#D55E00',
  verify: '#616e7c',
};
