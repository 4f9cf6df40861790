import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../src/adapters/s3/s3-location.js';

/** The part of s3rver's API used here (the package ships no type declarations). */
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** A fresh client for the same server, for tests that add middleware to it. */
  newClient(): S3Client;
  close(): Promise<void>;
}

export const CUR_BUCKET = 'cur-bucket';
export const FACTS_BUCKET = 'facts-bucket';

/** Starts s3rver in-process on loopback at a free port, with the two buckets the tests use. */
export async function startS3rver(): Promise<LocalS3> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(join(tmpdir(), 'bedrock-cost-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: CUR_BUCKET }, { name: FACTS_BUCKET }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const newClient = () =>
    s3Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      env: {},
    });
  const client = newClient();
  return {
    endpoint,
    client,
    newClient,
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
