import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, type IResolvable, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BedrockCostStack } from '../../infra/lib/bedrock-cost-stack.js';
import { FEATURE_FLAGS } from '../../infra/lib/feature-flags.js';
import { HANDLERS, type LambdaArchitecture, NPM_CPU } from '../../infra/lib/lambda-package.js';
import { type BedrockCostSettings, DEFAULTS } from '../../infra/lib/settings.js';

let sharedPackage: string | undefined;

/** The first 20 bytes of a little-endian 64-bit ELF shared object for `architecture` (e_machine at 18). */
export function elfHeader(architecture: LambdaArchitecture): Buffer {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = 2; // ELFCLASS64
  header[5] = 1; // little-endian
  header[6] = 1; // EV_CURRENT
  header.writeUInt16LE(3, 16); // ET_DYN
  header.writeUInt16LE(architecture === 'arm64' ? 183 : 62, 18);
  return header;
}

/**
 * A package directory with stub handlers and a stub DuckDB binding (just an ELF header for
 * `architecture`): enough for Code.fromAsset and the architecture check, no build or bundling. The
 * complete arm64 one is shared by the tests of a file (and keeps the synth cache key stable).
 */
export function fakeLambdaPackage(withHandlers = true, architecture: LambdaArchitecture = 'arm64'): string {
  const shared = withHandlers && architecture === 'arm64';
  if (shared && sharedPackage !== undefined) return sharedPackage;
  const dir = mkdtempSync(join(tmpdir(), 'bedrock-cost-lambda-'));
  if (shared) sharedPackage = dir;
  if (withHandlers) {
    mkdirSync(join(dir, 'dist/handlers'), { recursive: true });
    for (const name of HANDLERS) {
      writeFileSync(join(dir, 'dist/handlers', `${name}.js`), 'export const handler = async () => {};\n');
    }
    const binding = join(dir, `node_modules/@duckdb/node-bindings-linux-${NPM_CPU[architecture]}`);
    mkdirSync(binding, { recursive: true });
    writeFileSync(join(binding, 'duckdb.node'), elfHeader(architecture));
  }
  writeFileSync(join(dir, 'README.md'), 'excluded from the asset\n');
  return dir;
}

export const CUR_BUCKET = 'example-cur-bucket';
export const CUR_EXPORT_PREFIX = 'cur/bedrock-cost-cur2';

export function testSettings(overrides: Partial<BedrockCostSettings> = {}): BedrockCostSettings {
  return {
    cur: {
      bucketName: CUR_BUCKET,
      prefix: 'cur',
      exportName: 'bedrock-cost-cur2',
      manageEventBridge: true,
      glueDatabase: 'billing',
      glueTable: 'cur2',
    },
    factsRoot: DEFAULTS.factsRoot,
    engine: 'duckdb',
    weeklyDigestSchedule: DEFAULTS.weeklyDigestSchedule,
    quarterlyReviewSchedule: DEFAULTS.quarterlyReviewSchedule,
    earlyWarningSchedule: DEFAULTS.earlyWarningSchedule,
    scheduleTimeZone: 'UTC',
    athenaBytesScannedCutoff: DEFAULTS.athenaBytesScannedCutoff,
    glueDatabaseName: DEFAULTS.glueDatabaseName,
    athenaWorkGroupName: DEFAULTS.athenaWorkGroupName,
    lambdaPackageDir: fakeLambdaPackage(),
    allowUnpackagedCode: false,
    lambdaArchitecture: 'arm64',
    ...overrides,
  };
}

export interface Synthesized {
  stack: BedrockCostStack;
  template: Template;
  json: CfnTemplate;
}

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  [key: string]: unknown;
}

/** Builds the stack in-process: no CLI, no Docker, no bundling (the asset is a small stub directory). */
export function buildStack(settings: BedrockCostSettings = testSettings()): BedrockCostStack {
  return new BedrockCostStack(new App({ context: { ...FEATURE_FLAGS } }), 'BedrockCost', { settings });
}

const synthesized = new Map<string, Synthesized>();

/** Builds the stack and returns its template; the same settings are synthesized once per test file. */
export function synth(settings: BedrockCostSettings = testSettings()): Synthesized {
  const key = JSON.stringify(settings);
  const cached = synthesized.get(key);
  if (cached) return cached;
  const stack = buildStack(settings);
  const template = Template.fromStack(stack);
  const result = { stack, template, json: template.toJSON() as CfnTemplate };
  synthesized.set(key, result);
  return result;
}

export function logicalId(stack: Stack, element: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(element.node.defaultChild as CfnElement);
}

/**
 * Renders CloudFormation intrinsics as readable text so statements can be compared as strings:
 * `{Ref: X}` → `{{X}}`, `{Fn::GetAtt: [X, Arn]}` → `{{X.Arn}}`, `Fn::Join` concatenated.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Ref' in v) return `{{${String(v.Ref)}}}`;
    if ('Fn::GetAtt' in v) return `{{${(v['Fn::GetAtt'] as string[]).join('.')}}}`;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    if ('Fn::Sub' in v) return String(v['Fn::Sub']);
  }
  return JSON.stringify(value);
}

/** `render` of a CDK value (token or plain) as it appears in this stack's template. */
export function rendered(stack: Stack, value: string | IResolvable): string {
  return render(stack.resolve(value));
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface FoundDocument {
  /** Logical id and property path of the document, e.g. `CurDeliveryRoleDefaultPolicy…/PolicyDocument`. */
  where: string;
  resourceType: string;
  statements: Statement[];
}

/**
 * Every policy document anywhere in the template: any object with a `Statement` (IAM policies, managed
 * policies, inline role policies, trust policies, bucket/queue/topic policies, key policies, and whatever
 * resource type a future change adds), found by walking the whole template rather than by a type list.
 */
export function policyDocuments(json: CfnTemplate): FoundDocument[] {
  const found: FoundDocument[] = [];
  const walk = (node: unknown, path: string, resourceType: string) => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${path}[${i}]`, resourceType);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if ('Statement' in obj) {
      const raw = obj.Statement;
      found.push({
        where: path,
        resourceType,
        statements: (Array.isArray(raw) ? raw : [raw]) as Statement[],
      });
      return;
    }
    for (const [key, child] of Object.entries(obj)) walk(child, `${path}/${key}`, resourceType);
  };
  for (const [id, resource] of Object.entries(json.Resources)) walk(resource.Properties, id, resource.Type);
  return found;
}

export const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const actionsOf = (s: Statement): string[] => asList(s.Action).map(String);
export const resourcesOf = (s: Statement): string[] => asList(s.Resource).map(render);

/** Statements of the inline policies attached to a role (by its logical id). */
export function roleStatements(json: CfnTemplate, roleLogicalId: string): Statement[] {
  return Object.values(json.Resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        asList(r.Properties?.Roles).some((ref) => render(ref) === `{{${roleLogicalId}}}`),
    )
    .flatMap((r) => (r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
}
