import { z } from 'zod';
import type { AlertingSpec } from '../core/alerting/alerting-spec.js';
import { parseDurationMs } from '../core/alerting/duration.js';
import { DEFAULT_INHIBIT_RULES } from '../core/alerting/inhibition.js';
import { parseMatcher } from '../core/alerting/matchers.js';
import { DEFAULT_SLACK_TOKEN_REF, OWNER_CHANNEL_TEMPLATE } from '../core/alerting/receivers.js';
import { DEFAULT_GROUP_BY, GROUP_BY_ALL } from '../core/alerting/route-tree.js';

/** `severity="page"`, `workload=~"search-.*"`, `model!="x"`: checked here so errors carry the config path. */
export const MatcherStringSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseMatcher(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
});

const DurationSchema = z.string().refine((text) => (parseDurationMs(text) ?? 0) > 0, {
  message: 'a positive duration such as 4h, 1h30m or 30d',
});

const LabelNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a label name (letters, digits, _)');

const GroupBySchema = z
  .array(z.union([LabelNameSchema, z.literal(GROUP_BY_ALL)]))
  .refine((v) => !v.includes(GROUP_BY_ALL) || v.length === 1, `"${GROUP_BY_ALL}" must be the only entry`);

/** Receiver names appear in notification-log keys and file paths, so they are kept path-safe. */
const ReceiverNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, ".", "_" or "-"');

interface RouteInput {
  receiver?: string | undefined;
  group_by?: string[] | undefined;
  repeat_interval?: string | undefined;
  matchers?: string[] | undefined;
  continue?: boolean | undefined;
  routes?: RouteInput[] | undefined;
}

/** A child route (Alertmanager names); unset options are inherited from the parent. */
export const RouteSchema: z.ZodType<RouteInput> = z.lazy(() =>
  z
    .object({
      receiver: ReceiverNameSchema.optional(),
      group_by: GroupBySchema.optional(),
      repeat_interval: DurationSchema.optional(),
      matchers: z.array(MatcherStringSchema).optional(),
      continue: z.boolean().optional(),
      routes: z.array(RouteSchema).optional(),
    })
    .strict(),
);

/**
 * The root route (Alertmanager's `route`): matches everything, names the default receiver.
 * @example
 * routes:
 *   receiver: finops
 *   group_by: [workload]
 *   repeat_interval_by_severity: { page: 1d, warning: 7d, info: 30d }
 *   routes:
 *     - matchers: ['severity="page"']
 *       receiver: oncall
 *       continue: true
 *     - matchers: ['rule=~"verbose-output|cache-regression|model-mix-shift"']
 *       receiver: owners
 */
export const RootRouteSchema = z
  .object({
    receiver: ReceiverNameSchema,
    group_by: GroupBySchema.default([...DEFAULT_GROUP_BY]),
    /** Unset: a still-firing condition is repeated by its severity (repeat_interval_by_severity). */
    repeat_interval: DurationSchema.optional(),
    repeat_interval_by_severity: z
      .object({
        page: DurationSchema.optional(),
        warning: DurationSchema.optional(),
        info: DurationSchema.optional(),
      })
      .strict()
      .optional(),
    routes: z.array(RouteSchema).default([]),
  })
  .strict();

const SlackChannelSchema = z
  .string()
  .regex(/^(#?[a-z0-9][a-z0-9_-]{0,79}|[CGD][A-Z0-9]{6,})$/, 'a channel name (#alerts) or id (C0123ABCD)');

/** Env var name (`SLACK_BOT_TOKEN`) or a secret reference (`ssm:/path`, `secretsmanager:name`, a secret ARN). */
const TokenRefSchema = z
  .string()
  .regex(
    /^([A-Z_][A-Z0-9_]*|ssm:\/\S+|secretsmanager:\S+|arn:aws[a-z-]*:(secretsmanager|ssm):\S+)$/,
    'an environment variable name (SLACK_BOT_TOKEN) or a secret reference (ssm:/…, secretsmanager:…, ARN)',
  );

export const SlackReceiverSchema = z
  .object({
    /** A channel, or `{{owner.channel}}` for the owning team's `slack_channel`. */
    channel: z.union([z.literal(OWNER_CHANNEL_TEMPLATE), SlackChannelSchema]),
    fallback_channel: SlackChannelSchema.optional(),
    token_env: TokenRefSchema.default(DEFAULT_SLACK_TOKEN_REF),
    /** One "resolved" message when a notified condition ends (default true). */
    send_resolved: z.boolean().optional(),
  })
  .strict();

export const SnsReceiverSchema = z
  .object({
    topic_arn: z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, 'an SNS topic ARN'),
    /** A `resolve` event (same dedup key) when a notified condition ends, so the pager closes the incident. */
    send_resolved: z.boolean().optional(),
  })
  .strict();

export const ConsoleReceiverSchema = z
  .object({ dir: z.string().min(1).optional(), send_resolved: z.boolean().optional() })
  .strict();

/**
 * @example
 * receivers:
 *   - name: oncall
 *     sns: { topic_arn: arn:aws:sns:us-east-1:111111111111:bedrock-pages }
 *     slack: { channel: '#bedrock-oncall' }
 *   - name: owners
 *     slack: { channel: '{{owner.channel}}', fallback_channel: '#finops' }
 */
export const ReceiverSchema = z
  .object({
    name: ReceiverNameSchema,
    slack: SlackReceiverSchema.optional(),
    sns: SnsReceiverSchema.optional(),
    console: ConsoleReceiverSchema.optional(),
  })
  .strict()
  .refine((r) => r.slack || r.sns || r.console, 'a receiver needs at least one of slack, sns, console');

/** Slack user (U…/W…), user group (S…), `here`/`channel`, or a literal `<…>` mention. */
const MentionSchema = z
  .string()
  .regex(
    /^([UWS][A-Z0-9]{6,}|here|channel|<[@!#][^>]+>)$/,
    'a Slack user id (U…), user-group id (S…) or <…> mention',
  );

/**
 * Owner routing: `{{owner.channel}}` in a receiver resolves workload → team → slack_channel, and the
 * team's `mention` is added to every message about its workloads.
 * @example
 * owners:
 *   teams:
 *     ml-platform: { slack_channel: '#ml-platform-alerts', mention: S0123ABCD }
 *   workloads:
 *     support-bot: { team: ml-platform }
 */
export const OwnersSchema = z
  .object({
    teams: z
      .record(
        z.string().min(1),
        z
          .object({ slack_channel: SlackChannelSchema.optional(), mention: MentionSchema.optional() })
          .strict(),
      )
      .default({}),
    workloads: z.record(z.string().min(1), z.object({ team: z.string().min(1) }).strict()).default({}),
  })
  .strict()
  .superRefine((owners, ctx) => {
    for (const [workload, { team }] of Object.entries(owners.workloads)) {
      if (!Object.hasOwn(owners.teams, team)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workloads', workload, 'team'],
          message: `team "${team}" is not in owners.teams`,
        });
      }
    }
  });

const IsoTimeSchema = z.iso.datetime({ offset: true });

/**
 * @example
 * silences:
 *   - matchers: ['workload="load-test"']
 *     starts_at: 2026-06-01T00:00:00Z
 *     ends_at: 2026-06-08T00:00:00Z
 *     created_by: alice
 *     comment: planned load test, INC-1234
 */
export const SilenceSchema = z
  .object({
    id: z.string().min(1).optional(),
    matchers: z.array(MatcherStringSchema).min(1),
    starts_at: IsoTimeSchema,
    ends_at: IsoTimeSchema,
    created_by: z.string().min(1),
    comment: z.string().min(1),
  })
  .strict()
  .refine((s) => Date.parse(s.ends_at) > Date.parse(s.starts_at), {
    message: 'ends_at must be after starts_at',
    path: ['ends_at'],
  });

/** Mutes target alerts while a source alert with equal values for every `equal` label fires. */
export const InhibitRuleSchema = z
  .object({
    source_matchers: z.array(MatcherStringSchema).min(1),
    target_matchers: z.array(MatcherStringSchema).min(1),
    equal: z.array(LabelNameSchema).default([]),
  })
  .strict();

const DEFAULT_RECEIVER = 'console';

/**
 * The alerting keys of the config file. With none of them set, every finding is written to
 * `out/notifications` by the console receiver; `inhibit_rules`, when set, replaces the default rule.
 */
export const AlertingConfigSchema = z
  .object({
    routes: RootRouteSchema.default(RootRouteSchema.parse({ receiver: DEFAULT_RECEIVER })),
    receivers: z
      .array(ReceiverSchema)
      .default([{ name: DEFAULT_RECEIVER, console: { dir: 'out/notifications' } }]),
    owners: OwnersSchema.default({ teams: {}, workloads: {} }),
    silences: z.array(SilenceSchema).default([]),
    inhibit_rules: z.array(InhibitRuleSchema).default(
      DEFAULT_INHIBIT_RULES.map((r) => ({
        ...r,
        source_matchers: [...r.source_matchers],
        target_matchers: [...r.target_matchers],
        equal: [...(r.equal ?? [])],
      })),
    ),
  })
  .strict()
  .superRefine((config, ctx) => checkAlertingReferences(config, ctx));

export type AlertingConfig = z.infer<typeof AlertingConfigSchema>;

/**
 * Cross-field checks: receiver names unique, every route's receiver defined. Exported so a parent schema
 * that spreads `AlertingConfigSchema.shape` can apply them with `.superRefine`.
 */
export function checkAlertingReferences(
  config: Pick<AlertingConfig, 'routes' | 'receivers'>,
  ctx: { addIssue: (issue: { code: 'custom'; path: PropertyKey[]; message: string }) => void },
): void {
  const names = new Set<string>();
  config.receivers.forEach((r, i) => {
    if (names.has(r.name))
      ctx.addIssue({
        code: 'custom',
        path: ['receivers', i, 'name'],
        message: `duplicate receiver "${r.name}"`,
      });
    names.add(r.name);
  });
  const visit = (route: RouteInput, path: PropertyKey[]): void => {
    if (route.receiver !== undefined && !names.has(route.receiver)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'receiver'],
        message: `receiver "${route.receiver}" is not defined; defined: ${[...names].join(', ') || '(none)'}`,
      });
    }
    for (const [i, child] of (route.routes ?? []).entries()) visit(child, [...path, 'routes', i]);
  };
  visit(config.routes, ['routes']);
}

// The parsed config must be what core/alerting compiles; this fails to type-check if they drift apart.
const _specCheck = (config: AlertingConfig): AlertingSpec => config;
void _specCheck;
