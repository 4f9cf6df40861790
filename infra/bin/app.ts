import { resolve } from 'node:path';
import { App, Tags } from 'aws-cdk-lib';
import { BedrockCostStack } from '../lib/bedrock-cost-stack.js';
import { FEATURE_FLAGS } from '../lib/feature-flags.js';
import { settingsFromContext } from '../lib/settings.js';

const app = new App({ context: { ...FEATURE_FLAGS } });
const settings = settingsFromContext((key) => app.node.tryGetContext(key), {
  lambdaPackageDir: resolve(import.meta.dirname, '../lambda-package'),
});
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'BedrockCost';

// Environment-agnostic unless CDK_DEFAULT_* are set (cdk deploy sets them from the profile): synth needs no
// account or credentials, and the template deploys to whichever account/region the CUR bucket is in.
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const stack = new BedrockCostStack(app, stackName, {
  settings,
  ...(account !== undefined && region !== undefined ? { env: { account, region } } : {}),
});
Tags.of(stack).add('service', 'bedrock-cost');
