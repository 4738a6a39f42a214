/** TypeBox schemas shared by the route plugins (they produce both validation and the OpenAPI document). */
import { Type, type Static, type TSchema } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable machine code, e.g. NOT_FOUND, VALIDATION_FAILED, IMPORT_REJECTED' }),
      message: Type.String({ description: '中文说明' }),
      details: Type.Optional(Type.Unknown()),
      requestId: Type.String(),
    }),
  },
  { $id: 'ErrorResponse', description: '错误 — every error has this shape' },
);

/** Money: yuan with exactly two decimals, as a string (never a float). */
export const Money = Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: '金额（元，两位小数）', examples: ['4823.50'] });
export const IsoDateString = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD（须为真实日期）', examples: ['2026-11-28'] });
export const MonthString = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM', examples: ['2026-10'] });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** the last page number a list accepts: beyond it the offset would outgrow what SQLite binds exactly */
export const MAX_PAGE = 1_000_000;

/**
 * The one paging schema of the 12 paged lists: integers in range, else 400 VALIDATION_FAILED (issue 15,
 * finding 5: `?page=2e17`, `?page=1e309`, `?pageSize=Infinity` answered 500 — an exponent is coerced to a
 * number, and without a maximum it reached SQLite as an offset it could not bind).
 */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, 'x-finite': true, description: `页码，从1开始（至多 ${MAX_PAGE}）` })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, 'x-finite': true, description: '每页条数（1–200）' })),
};

export function Page<T extends TSchema>(item: T, description?: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      page: Type.Integer(),
      pageSize: Type.Integer(),
      total: Type.Integer({ description: '符合条件的总条数' }),
    },
    description ? { description } : {},
  );
}

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export function pageOf(query: { page?: number; pageSize?: number }): { page: number; pageSize: number; limit: number; offset: number } {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export type IdParam = Static<typeof IdParam>;

/** Standard error responses for the OpenAPI document. */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries([401, 403, ...codes].map((c) => [c, Type.Ref('ErrorResponse')])) as Record<number, TSchema>;

/** Where a fact row came from: its import batch and line in the file. */
export const Source = Type.Object({ batchId: Type.Integer(), line: Type.Integer() });
