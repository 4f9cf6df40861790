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

/** SQL string literal with quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** SQL identifier with quotes doubled. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
