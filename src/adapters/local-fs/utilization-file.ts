import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { UtilizationSource } from '../../app/ports/reports.js';
import { InputError } from '../../core/errors.js';
import { CsvSyntaxError, parseCsv } from '../../core/report/csv.js';
import type {
  CommitmentUtilization,
  UtilizationPoint,
  UtilizationTarget,
} from '../../core/review/utilization.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const count = z.number().finite().nonnegative().nullable();

/** One reading; `null` (JSON) or an empty cell (CSV) is unknown — not zero. */
const RowSchema = z
  .object({
    /** The commitment id the review prints, or the provisioned model ARN. */
    commitment_id: z.string().min(1),
    /** ISO instant the period starts, or a day (`2026-05-04`: a whole UTC day). */
    start: z
      .string()
      .refine((s) => DAY.test(s) || !Number.isNaN(Date.parse(s)), 'an ISO time or YYYY-MM-DD day'),
    /** Default: 86400 for a day, 3600 for an instant. */
    period_seconds: z.number().int().positive().optional(),
    invocations: count.default(null),
    input_tokens: count.default(null),
    output_tokens: count.default(null),
  })
  .strict();

type Row = z.infer<typeof RowSchema>;

export const UTILIZATION_FILE_COLUMNS = [
  'commitment_id',
  'start',
  'period_seconds',
  'invocations',
  'input_tokens',
  'output_tokens',
] as const;

/**
 * Utilization for offline use: a CSV with the columns above (empty cell = unknown) or a JSON array of the
 * same objects. A row matches a commitment by its id or its provisioned model ARN.
 *
 * @example
 * commitment_id,start,period_seconds,invocations,input_tokens,output_tokens
 * arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc,2026-05-04T13:00:00Z,3600,1200,5400000,610000
 * arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc,2026-05-04T14:00:00Z,3600,,,
 */
export class UtilizationFileSource implements UtilizationSource {
  readonly name: string;

  constructor(private readonly path: string) {
    this.name = `file:${path}`;
  }

  async read(request: {
    targets: readonly UtilizationTarget[];
    from: string;
    to: string;
  }): Promise<CommitmentUtilization[]> {
    const rows = await this.rows();
    const fromMs = Date.parse(request.from);
    const toMs = Date.parse(request.to);
    return request.targets.map((target) => ({
      commitmentId: target.commitmentId,
      source: this.name,
      points: rows
        .filter((r) => r.commitment_id === target.commitmentId || r.commitment_id === target.modelId)
        .map(toPoint)
        .filter((p) => {
          const ms = Date.parse(p.start);
          return ms >= fromMs && ms < toMs;
        })
        .sort((a, b) => (a.start < b.start ? -1 : 1)),
    }));
  }

  private async rows(): Promise<Row[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      throw new InputError(
        `${this.path}: cannot read utilization file (${(error as NodeJS.ErrnoException).code ?? error})`,
        {
          cause: error,
        },
      );
    }
    const raw = this.path.toLowerCase().endsWith('.json')
      ? parseJson(text, this.path)
      : csvRecords(text, this.path);
    const parsed = z.array(RowSchema).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(
        `${this.path}: row ${Number(issue.path[0] ?? 0) + 1}: ${issue.path.slice(1).join('.') || 'row'}: ${issue.message}`,
      );
    }
    return parsed.data;
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
}

function csvRecords(text: string, path: string): Record<string, unknown>[] {
  let parsed: string[][];
  try {
    parsed = parseCsv(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InputError(`${path}: not valid CSV: ${error.message}`);
    throw error;
  }
  const rows = parsed.filter((r) => r.some((c) => c.trim() !== ''));
  const header = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  if (!header.includes('commitment_id') || !header.includes('start')) {
    throw new InputError(`${path}: the CSV header needs ${UTILIZATION_FILE_COLUMNS.join(', ')}`);
  }
  const unknown = header.filter((h) => !(UTILIZATION_FILE_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0) {
    throw new InputError(
      `${path}: unknown column(s) ${unknown.join(', ')}; columns: ${UTILIZATION_FILE_COLUMNS.join(', ')}`,
    );
  }
  return rows.slice(1).map((cells, line) => {
    const record: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const cell = (cells[i] ?? '').trim();
      if (name === 'commitment_id' || name === 'start') record[name] = cell;
      else if (cell === '') record[name] = name === 'period_seconds' ? undefined : null;
      else {
        const value = Number(cell);
        if (!Number.isFinite(value))
          throw new InputError(`${path}: line ${line + 2}: ${name} "${cell}" is not a number`);
        record[name] = value;
      }
    });
    return record;
  });
}

function toPoint(row: Row): UtilizationPoint {
  const isDay = DAY.test(row.start);
  return {
    start: new Date(isDay ? `${row.start}T00:00:00Z` : row.start).toISOString(),
    periodSeconds: row.period_seconds ?? (isDay ? 86_400 : 3_600),
    invocations: row.invocations,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
  };
}
