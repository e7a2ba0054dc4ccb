// What refuses a file before its records are built: its type, a store id, and the first problem of a column (a 422
// naming the column and its first rows, from the checks every column reader collected while the file was read).
import { ALL_STORES_ID, MAX_ID_LENGTH } from '../../../shared/schemas';
import { AppError } from '../errors';
import { BooleanColumn, type ColumnReader, MAX_CELL_VALUE, NumberColumn, TextColumn } from './columns';
import { parseId } from './numbers';
import { cellError } from './problems';
import { openProblems } from './readings';

const ACCEPTED = '.csv, .csv.gz or .xlsx';

export type Kind = 'csv' | 'csv.gz' | 'xlsx';

export function fileKind(filename: string): Kind {
  const name = filename.trim().toLowerCase();
  if (name.endsWith('.csv.gz')) return 'csv.gz';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.xlsx')) return 'xlsx';
  if (name.endsWith('.xls')) {
    throw new AppError(
      415,
      'unsupported_file_type',
      `"${filename}" is an old Excel 97-2003 workbook (.xls). Open it in Excel and save as .xlsx (or CSV UTF-8), then upload that.`,
      { accepted: ['.csv', '.csv.gz', '.xlsx'] },
    );
  }
  throw new AppError(415, 'unsupported_file_type', `"${filename}" is not a supported file type. Upload a ${ACCEPTED} file.`, {
    accepted: ['.csv', '.csv.gz', '.xlsx'],
  });
}

// POST /train_model {"store_id": "all"} trains every store: a store of that name could never be trained alone.
export const reservedStore = (where: string) =>
  new AppError(
    422,
    'invalid_value',
    `The store id "${ALL_STORES_ID}" (in ${where}) is reserved: training "${ALL_STORES_ID}" means every store. Rename that store.`,
    { field: 'store_id', values: [ALL_STORES_ID] },
  );

export function checkDefaultStore(value: string | undefined): string {
  if (value === undefined) return 'default';
  if (value.trim() === ALL_STORES_ID) throw reservedStore('the store_id field');
  const id = parseId(value);
  if (id === null || id === undefined) {
    throw new AppError(
      422,
      'invalid_value',
      `The store id "${value}" is not usable: it must not be empty or start with =, +, @, a tab or a carriage return.`,
      { field: 'store_id', values: [value] },
    );
  }
  return id;
}

export function throwProblems(reader: ColumnReader): void {
  const open = openProblems(reader);
  if (open) throw open;
  if (reader instanceof NumberColumn && reader.problems.count > 0) {
    throw cellError(
      'invalid_number',
      reader.header,
      reader.problems,
      'values that are not numbers',
      'Use plain numbers such as 12, 3.5, $1,234.50 or -2 (3,5 in a semicolon-separated file); formulas and text are not accepted.',
    );
  }
  if (reader instanceof NumberColumn && reader.thousandsDots.count > 0 && reader.decimalDots.count > 0) {
    const decimal = reader.decimalDots;
    throw cellError(
      'ambiguous_number',
      reader.header,
      reader.thousandsDots,
      'numbers that could be read two ways, a dot between thousands or a decimal point,',
      `The file separates fields with semicolons, so a comma is read as the decimal mark and a dot as a thousands separator ` +
        `("1.234" is 1234), but the column also has dots that can only be decimal points (row ${decimal.rows[0]}: "${decimal.values[0]}"). ` +
        'Write the column one way, decimals with a comma (1,5 and 1,234) or without thousands dots (1234), and upload it again.',
    );
  }
  if (reader instanceof NumberColumn && reader.tooLarge.count > 0) {
    throw cellError(
      'value_out_of_range',
      reader.header,
      reader.tooLarge,
      `values beyond ${MAX_CELL_VALUE.toLocaleString('en-US')} (in size)`,
      'Numbers that large are typing or export slips; correct or remove those rows.',
    );
  }
  if (reader instanceof BooleanColumn && reader.problems.count > 0) {
    throw cellError('invalid_value', reader.header, reader.problems, 'values that are not yes/no', 'Use 1/0, true/false, yes/no or y/n.');
  }
  if (reader instanceof TextColumn && reader.problems.count > 0) {
    throw cellError(
      'invalid_value',
      reader.header,
      reader.problems,
      'ids that cannot be used',
      'An id must not be empty or start with =, +, @, a tab or a carriage return (spreadsheets would run it as a formula).',
    );
  }
  if (reader instanceof TextColumn && reader.tooLong.count > 0) {
    throw cellError(
      'id_too_long',
      reader.header,
      reader.tooLong,
      `ids longer than ${MAX_ID_LENGTH} characters`,
      `Store and product ids can have at most ${MAX_ID_LENGTH} characters (forecasts and other requests refuse longer ones); ` +
        'shorten those ids or map a shorter column to them, and upload the file again.',
    );
  }
}
