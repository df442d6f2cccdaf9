/**
 * EC2 regions of the commercial partition, and whether an account must opt in to each
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html): the default
 * ones are enabled for every account, an opt-in one only once the account enabled it.
 */
export const DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
]

export const OPT_IN_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
]

/** `us-east-1a` → `us-east-1`; a made-up zone lives in us-east-1. */
export const regionOfZone = (zone: string) =>
  /^([a-z]{2}-[a-z]+-\d+)[a-z]?$/.exec(zone)?.[1] ?? 'us-east-1'
