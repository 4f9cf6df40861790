import { actionsOf, asList, type FoundDocument, render, type Statement } from './helpers.js';

/**
 * The Allow statements that may name resource `*`: CloudWatch GetMetricData and ListMetrics have no
 * resource-level permissions. The review's reads GetMetricData only; the early warning's also ListMetrics.
 * Both must stay read-only and region-scoped.
 */
function isDocumentedMetricsException(s: Statement): boolean {
  const actions = actionsOf(s).sort().join(',');
  const allowed =
    (s.Sid === 'ReadBedrockUtilizationMetrics' && actions === 'cloudwatch:GetMetricData') ||
    (s.Sid === 'ReadBedrockMetrics' && actions === 'cloudwatch:GetMetricData,cloudwatch:ListMetrics');
  return allowed && s.Condition?.StringEquals?.['aws:RequestedRegion'] !== undefined;
}

/**
 * Least-privilege rules for every policy document of the template; returns the violations, one line each.
 *
 * - An Allow never uses an action pattern (`*`, `s3:*`, `dynamodb:*`, `s3:Get*`…): a pattern silently grows
 *   when AWS adds actions, and on data services it grants writes/deletes nobody reviewed.
 * - An Allow never uses NotAction / NotResource (an inverted list is a wildcard).
 * - An Allow names resource `*` only in a KMS key policy (where `*` means "this key") and in the
 *   documented CloudWatch GetMetricData statement.
 * - An Allow never has the anonymous principal `*`.
 * Deny statements may use patterns (e.g. the enforce-TLS `s3:*` / `sqs:*` denies): they only take away.
 */
export function policyViolations(documents: FoundDocument[]): string[] {
  const problems: string[] = [];
  for (const doc of documents) {
    for (const [i, s] of doc.statements.entries()) {
      if (s.Effect !== 'Allow') continue;
      const at = `${doc.where} statement ${s.Sid ?? i}`;
      if (s.NotAction !== undefined) problems.push(`${at}: Allow with NotAction`);
      if (s.NotResource !== undefined) problems.push(`${at}: Allow with NotResource`);
      for (const action of actionsOf(s)) {
        if (action.includes('*')) problems.push(`${at}: wildcard action ${action}`);
      }
      const resources = asList(s.Resource).map(render);
      if (
        resources.includes('*') &&
        doc.resourceType !== 'AWS::KMS::Key' &&
        !isDocumentedMetricsException(s)
      ) {
        problems.push(`${at}: resource * for ${actionsOf(s).join(', ')}`);
      }
      const principals = asList(s.Principal).flatMap((p) =>
        p && typeof p === 'object' ? Object.values(p as Record<string, unknown>).flatMap(asList) : [p],
      );
      if (principals.some((p) => render(p) === '*'))
        problems.push(`${at}: Allow to the anonymous principal *`);
    }
  }
  return problems;
}
