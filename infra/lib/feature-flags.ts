/**
 * CDK feature flags of the app, shared by `bin/app.ts` and the tests so both synthesize the same template.
 * CDK always runs its CloudFormation Validate rules at synth; this makes a finding fail the synth instead
 * of printing a warning nobody reads.
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
};
