import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

/** A table's columns in a hand-written statement, and the decoder back to the row type. */
export interface TableRowSql<Row> {
  /** `alias."column" as "prefixKey", …` for a select list. */
  readonly list: string;
  /** The same columns selected again from a CTE or subquery that holds {@link list}, by their output names. */
  readonly reselect: (relation: string) => string;
  /** The row as drizzle's own queries return it, from a result row holding {@link list}. */
  readonly decode: (row: Record<string, unknown>) => Row;
}

/**
 * For the few statements the query builder cannot express (a data-modifying CTE that returns joined
 * rows): the select list comes from the schema, and every value decodes through the column's own
 * `mapFromDriverValue`, so the row has the same types as a drizzle select (arrays, JSON, dates).
 * Names come from the schema, never from input. `only` narrows the row to the columns a hot path
 * needs: fewer values to send and parse, and nothing it should not hold (a password hash).
 */
export function tableRowSql<T extends Table, K extends keyof InferSelectModel<T> & string = keyof InferSelectModel<T> & string>(
  table: T,
  alias: string,
  options: { readonly prefix?: string; readonly only?: readonly K[] } = {},
): TableRowSql<Pick<InferSelectModel<T>, K>> {
  const prefix = options.prefix ?? `${alias}_`;
  const all = Object.entries(getTableColumns(table));
  const columns = options.only === undefined ? all : all.filter(([key]) => (options.only as readonly string[]).includes(key));
  if (options.only !== undefined && columns.length !== options.only.length) throw new Error(`tableRowSql: unknown column in ${options.only.join(', ')}`);
  const list = columns.map(([key, column]) => `${alias}."${column.name}" as "${prefix}${key}"`).join(', ');
  const reselect = (relation: string) => columns.map(([key]) => `${relation}."${prefix}${key}"`).join(', ');
  const decode = (row: Record<string, unknown>) => {
    const decoded: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = row[prefix + key];
      decoded[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return decoded as Pick<InferSelectModel<T>, K>;
  };
  return { list, reselect, decode };
}
