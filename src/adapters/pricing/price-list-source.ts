import { GetProductsCommand, type GetProductsCommandOutput, PricingClient } from '@aws-sdk/client-pricing';
import type { PriceListProduct } from '../../core/catalog/price-list.js';
import { InputError } from '../../core/errors.js';
import { describeRedacted } from '../../core/render/redact.js';

export interface PriceListReadOptions {
  serviceCodes: readonly string[];
  /** `us-east-1` (default) or `ap-south-1`. */
  region?: string;
  /** Another endpoint (tests: a loopback server speaking the Pricing API's JSON protocol). */
  endpoint?: string;
  /** Page size, 1–100. */
  pageSize?: number;
  client?: PricingClient;
}

export interface PriceListRead {
  products: PriceListProduct[];
  /** Pages read per service code. */
  pages: Record<string, number>;
}

/**
 * Every product of the given service codes, through GetProducts (paginated by NextToken). PriceList
 * elements are JSON documents sent as strings; each is parsed, and one that is not JSON is an error naming
 * the service code and page.
 */
export async function readPriceList(options: PriceListReadOptions): Promise<PriceListRead> {
  const region = options.region ?? 'us-east-1';
  const client =
    options.client ??
    new PricingClient({
      region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      maxAttempts: 3,
    });
  const products: PriceListProduct[] = [];
  const pages: Record<string, number> = {};
  for (const serviceCode of options.serviceCodes) {
    let nextToken: string | undefined;
    let page = 0;
    do {
      page += 1;
      let out: GetProductsCommandOutput;
      try {
        out = await client.send(
          new GetProductsCommand({
            ServiceCode: serviceCode,
            FormatVersion: 'aws_v1',
            MaxResults: options.pageSize ?? 100,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
      } catch (error) {
        throw new InputError(
          `Price List GetProducts ${serviceCode} (page ${page}, ${options.endpoint ?? `pricing.${region}`}): ${describeRedacted(error)}`,
          { cause: error, retryable: true },
        );
      }
      for (const [index, raw] of (out.PriceList ?? []).entries()) {
        products.push(parseProduct(raw, serviceCode, page, index));
      }
      nextToken = out.NextToken || undefined;
    } while (nextToken);
    pages[serviceCode] = page;
  }
  return { products, pages };
}

function parseProduct(raw: unknown, serviceCode: string, page: number, index: number): PriceListProduct {
  const text = typeof raw === 'string' ? raw : String(raw);
  try {
    const parsed = JSON.parse(text) as PriceListProduct;
    return { ...parsed, serviceCode: parsed.serviceCode ?? serviceCode };
  } catch (error) {
    throw new InputError(
      `Price List GetProducts ${serviceCode} page ${page}: PriceList[${index}] is not a JSON document (${(error as Error).message})`,
    );
  }
}
