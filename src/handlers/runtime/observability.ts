import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
import type { Context } from 'aws-lambda';

/** The CloudWatch namespace and the one dimension the stack's alarms filter on (infra/lib/bedrock-cost-stack.ts). */
export const METRICS_NAMESPACE = 'BedrockCost';
export const SERVICE_NAME = 'bedrock-cost';

/** What handlers log through: Powertools Logger in Lambda, a recorder in tests. */
export interface HandlerLog {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
  /** Adds the request id and function name to every line of this invocation. */
  addContext?(context: Context): void;
}

/** Counters published once per invocation. */
export interface MetricSink {
  count(name: string, value: number): void;
  /** Writes what was counted (EMF on stdout in Lambda) and starts over. */
  flush(): void;
}

/** Powertools Logger (JSON lines with the request id; POWERTOOLS_LOG_LEVEL sets the level). */
export function createLogger(): HandlerLog {
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) =>
      extra ? logger[level](message, extra as LogAttributes) : logger[level](message);
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    addContext: (context) => logger.addContext(context),
  };
}

/**
 * Powertools Metrics with the service as its only dimension: the NotificationOutcomeUnknown alarm matches
 * `{service: bedrock-cost}` exactly, and a metric carrying any other dimension would be a different series.
 */
export function createMetrics(options: { logger?: MetricsOptions['logger'] } = {}): MetricSink {
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE_NAME,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  let pending = false;
  return {
    count(name, value) {
      metrics.addMetric(name, MetricUnit.Count, value);
      pending = true;
    },
    flush() {
      if (!pending) return;
      pending = false;
      metrics.publishStoredMetrics();
    },
  };
}
