// Which column holds what: one choice per field (pre-detected), the problems the upload would meet, the first rows.
import { Field, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { CANONICAL_FIELDS, type ColumnMapping } from '../../../../shared/schemas';
import { fmt } from '../../components/format';
import { useStyles } from '../../components/styles';
import { FIELD_LABELS, REQUIRED_FIELDS } from '../../mapping/columns';
import type { Columns } from './types';

export function MappingEditor({
  columns,
  mapping,
  onChange,
  problems,
}: {
  columns: Columns;
  mapping: ColumnMapping;
  onChange: (m: ColumnMapping) => void;
  problems: string[];
}) {
  const s = useStyles();
  const headers = columns.headers.filter((h) => h !== '');
  return (
    <div className={s.section} role="group" aria-label="Column mapping">
      <Text size={200}>
        Check which column holds what ({fmt(headers.length)} columns
        {columns.totalRows !== undefined ? `, ${fmt(columns.totalRows)} rows` : ''}). The service recognises common names; change any that
        are wrong.
      </Text>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '4px 8px' }}>
        {CANONICAL_FIELDS.map((field) => (
          <Field key={field} label={`${FIELD_LABELS[field]}${REQUIRED_FIELDS.includes(field) ? ' *' : ''}`} size="small">
            <Select
              size="small"
              value={mapping[field] ?? ''}
              aria-label={`Column for ${FIELD_LABELS[field]}`}
              onChange={(_, d) => onChange({ ...mapping, [field]: d.value || undefined })}
            >
              <option value="">(none)</option>
              {headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </Select>
          </Field>
        ))}
      </div>
      {problems.length ? (
        <ul role="alert" style={{ margin: 0, paddingLeft: 18, color: '#A4262C', fontSize: 12 }}>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {columns.rows.length ? (
        <div className={s.tableWrap}>
          <Table
            size="extra-small"
            aria-label="First rows"
            style={{ tableLayout: 'auto', width: 'max-content', minWidth: '100%', whiteSpace: 'nowrap' }}
          >
            <TableHeader>
              <TableRow>
                {columns.headers.map((h, i) => (
                  <TableHeaderCell key={i}>{h}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {columns.rows.slice(0, 3).map((row, i) => (
                <TableRow key={i}>
                  {columns.headers.map((_, j) => (
                    <TableCell key={j}>{row[j] === null || row[j] === undefined ? '' : String(row[j])}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
    </div>
  );
}
