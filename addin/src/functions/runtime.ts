// The custom functions runtime of Office.js (the CustomFunctions global), as src/excel/workbook.ts is for Excel.run:
// the only module that touches it. Outside Excel (tests, a plain browser) error values are a stand-in of the same
// shape, so the functions behave the same everywhere.

/** The error values a function may answer with; only #VALUE! and #N/A show their message in Excel. */
const CELL_ERRORS = { invalidValue: '#VALUE!', notAvailable: '#N/A' } as const;
type CellErrorKind = keyof typeof CELL_ERRORS;

export interface CellError {
  code: string;
  message?: string;
}

interface CustomFunctionsGlobal {
  Error: new (code: string, message?: string) => CellError;
  ErrorCode: Record<CellErrorKind, string>;
  associate(id: string, fn: (...args: never[]) => unknown): void;
}

const customFunctions = () => (globalThis as { CustomFunctions?: CustomFunctionsGlobal }).CustomFunctions;

/** Stand-in for CustomFunctions.Error outside Excel. */
export class StandInCellError extends Error implements CellError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CellError';
  }
}

/** Excel shows about 255 characters of a message. */
const MAX_MESSAGE = 250;

export function cellError(kind: CellErrorKind, message: string): CellError {
  const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  const cf = customFunctions();
  return cf ? new cf.Error(cf.ErrorCode[kind], text) : new StandInCellError(CELL_ERRORS[kind], text);
}

export const isCellError = (value: unknown): value is CellError => {
  const cf = customFunctions();
  return value instanceof StandInCellError || (cf !== undefined && value instanceof cf.Error);
};

/** Binds each metadata id (functions.json) to its code; false outside Excel, where there is nothing to bind to. */
export function associateFunctions(functions: Record<string, (...args: never[]) => unknown>): boolean {
  const cf = customFunctions();
  if (!cf?.associate) return false;
  for (const [id, fn] of Object.entries(functions)) cf.associate(id, fn);
  return true;
}
