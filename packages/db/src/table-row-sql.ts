import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

/** A table's columns in a hand-written statement, and the decoder back to the row type. */
export interface TableRowSql<T extends Table> {
  /** `alias."column" as "prefixKey", …` for a select list. */
  readonly list: string;
  /** The row as drizzle's own queries return it, from a result row holding {@link list}. */
  readonly decode: (row: Record<string, unknown>) => InferSelectModel<T>;
}

/**
 * For the few statements the query builder cannot express (a data-modifying CTE that returns joined
 * rows): the select list comes from the schema, and every value decodes through the column's own
 * `mapFromDriverValue`, so the row has the same types as a drizzle select (arrays, JSON, dates).
 * Names come from the schema, never from input.
 */
export function tableRowSql<T extends Table>(table: T, alias: string, prefix = `${alias}_`): TableRowSql<T> {
  const columns = Object.entries(getTableColumns(table));
  const list = columns.map(([key, column]) => `${alias}."${column.name}" as "${prefix}${key}"`).join(', ');
  const decode = (row: Record<string, unknown>) => {
    const decoded: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = row[prefix + key];
      decoded[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return decoded as InferSelectModel<T>;
  };
  return { list, decode };
}
