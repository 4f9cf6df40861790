import { ConfigError } from '../../core/errors.js';
import { athenaIdentifier } from '../cur-sql/athena-dialect.js';
import { fillTemplate, loadSql } from '../cur-sql/sql-files.js';

/** The Glue table over the CUR export (the facts table is defined once, by the CDK stack). */
export type AthenaDdlName = 'create_cur2_table';

export interface AthenaDdlTarget {
  database: string;
  table: string;
  /** s3://bucket/prefix: the CUR 2.0 export's `data` folder. */
  location: string;
}

/** A bucket name and a key prefix without quotes, spaces or a trailing slash. */
const S3_LOCATION = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*()=-]+)*$/;

/**
 * A `sql/athena/` DDL statement for the given table. Athena DDL takes no execution parameters, so its
 * three values are checked against strict patterns before they are put into the text.
 */
export function athenaDdl(name: AthenaDdlName, target: AthenaDdlTarget): string {
  athenaIdentifier(target.database, 'database');
  athenaIdentifier(target.table, 'table');
  if (!S3_LOCATION.test(target.location)) {
    throw new ConfigError(
      `table location "${target.location}" is not an s3://bucket/prefix URI (no quotes, spaces or trailing /)`,
    );
  }
  return fillTemplate(loadSql(`athena/${name}.sql`), { ...target });
}
