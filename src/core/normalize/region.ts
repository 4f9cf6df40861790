/**
 * Usage-type billing prefixes. They cannot be derived from region names (ap-south-1 bills as APS3), so
 * this is a table, and only of codes we are sure of: an unlisted code yields 'unknown' rather than a
 * guess. `EU` is AWS's historical prefix for eu-west-1 (Ireland), used by some first-party Bedrock SKUs.
 */
export const BILLING_REGION_CODES: Readonly<Record<string, string>> = {
  USE1: 'us-east-1',
  USE2: 'us-east-2',
  USW1: 'us-west-1',
  USW2: 'us-west-2',
  UGW1: 'us-gov-west-1',
  UGE1: 'us-gov-east-1',
  CAN1: 'ca-central-1',
  SAE1: 'sa-east-1',
  EU: 'eu-west-1',
  EUW1: 'eu-west-1',
  EUW2: 'eu-west-2',
  EUW3: 'eu-west-3',
  EUC1: 'eu-central-1',
  EUC2: 'eu-central-2',
  EUN1: 'eu-north-1',
  EUS1: 'eu-south-1',
  EUS2: 'eu-south-2',
  APN1: 'ap-northeast-1',
  APN2: 'ap-northeast-2',
  APN3: 'ap-northeast-3',
  APS1: 'ap-southeast-1',
  APS2: 'ap-southeast-2',
  APS3: 'ap-south-1',
  APS4: 'ap-southeast-3',
  APS5: 'ap-south-2',
  APS6: 'ap-southeast-4',
  APE1: 'ap-east-1',
  MES1: 'me-south-1',
  MEC1: 'me-central-1',
  AFS1: 'af-south-1',
  ILC1: 'il-central-1',
};

const REGION_NAME = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$/;

/**
 * The row's own region column wins; then the region a Marketplace description carries in its second `|`
 * field; then the usage-type prefix; else 'unknown'.
 */
export function resolveRegion(
  region: string | null,
  itemDescription: string | null,
  regionCode: string,
): string {
  const own = region?.trim() ?? '';
  if (own !== '' && own.toUpperCase() !== 'NULL') return own;
  const described = itemDescription?.split('|')[1]?.trim().toLowerCase() ?? '';
  if (REGION_NAME.test(described)) return described;
  return BILLING_REGION_CODES[regionCode] ?? 'unknown';
}
