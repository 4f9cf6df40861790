import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A DuckDB in-memory database for one unit of work; closed by `withDuckDb`. */
export interface DuckDb {
  connection: DuckDBConnection;
  /** Runs a statement and returns its rows as plain JS objects. */
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  run(sql: string): Promise<void>;
}

export async function withDuckDb<T>(
  work: (db: DuckDb) => Promise<T>,
  options: { threads?: number } = {},
): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(options.threads ?? 2),
    // Extensions would be downloaded at run time, which this service never does.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const db: DuckDb = {
      connection,
      async rows<R>(sql: string) {
        const reader = await connection.runAndReadAll(sql);
        return reader.getRowObjectsJS() as R[];
      },
      async run(sql: string) {
        await connection.run(sql);
      },
    };
    return await work(db);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Rows per JSON chunk handed from DuckDB to JS. */
const JSON_CHUNK_ROWS = 20_000;

/**
 * Runs a query and returns its rows as plain objects, serialised by DuckDB to JSON text in chunks and parsed
 * by V8. An order of magnitude faster than converting every value through the client's vector accessors
 * (measured: 438k 33-column rows in ~4 s instead of ~34 s). Cast DECIMAL/BIGINT columns to VARCHAR in
 * `sql` where exactness matters: JSON numbers are doubles.
 */
export async function rowsViaJson<T>(db: DuckDb, sql: string, orderBy?: string): Promise<T[]> {
  const chunks = await db.rows<{ chunk: string }>(
    `WITH q AS (${sql}), numbered AS (SELECT row_number() OVER (${orderBy ? `ORDER BY ${orderBy}` : ''}) AS rn, q AS r FROM q)
     SELECT CAST(to_json(list(r ORDER BY rn)) AS VARCHAR) AS chunk
     FROM numbered GROUP BY (rn - 1) // ${JSON_CHUNK_ROWS} ORDER BY (rn - 1) // ${JSON_CHUNK_ROWS}`,
  );
  const out: T[] = [];
  for (const { chunk } of chunks) for (const row of JSON.parse(chunk) as T[]) out.push(row);
  return out;
}

/** SQL string literal with quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** SQL identifier with quotes doubled. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
