// The pane's shared layout styles (Griffel, through Fluent UI's makeStyles).
import { makeStyles, tokens } from '@fluentui/react-components';

export const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '12px' },
  row: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: '120px' },
  /** Small inputs side by side, as many as fit the pane's width. */
  fields: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(110px, 1fr))',
    gap: '8px',
    alignItems: 'end',
    '& > *': { minWidth: 0 },
    '& .fui-Input': { minWidth: 0, width: '100%' },
    '& input': { minWidth: 0 },
  },
  cards: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))', gap: '8px' },
  card: { padding: '10px' },
  cardValue: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
  muted: { color: tokens.colorNeutralForeground3 },
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  tableWrap: { overflowX: 'auto' },
  detail: { backgroundColor: tokens.colorNeutralBackground2, padding: '8px' },
  kv: { display: 'grid', gridTemplateColumns: 'auto auto', columnGap: '12px', rowGap: '2px' },
  number: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  /**
   * Text inside a table wider than the pane (it scrolls sideways): as wide as the pane, kept in view while the table
   * scrolls, wrapping instead of widening the table.
   */
  inView: { position: 'sticky', left: 0, width: 'calc(100vw - 48px)', whiteSpace: 'normal' },
  /** A combobox as wide as its column, however narrow the pane (Fluent's own minimum is 250px). */
  combobox: { minWidth: 0, width: '100%', '& input': { minWidth: 0, textOverflow: 'ellipsis' } },
});
