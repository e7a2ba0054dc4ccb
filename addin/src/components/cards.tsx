// Figures at a glance: a labelled stat card (with the scope it covers and a low-confidence flag when it has one) and
// a stock status badge.
import { Badge, Card, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Basis, BulkStockStatus } from '../../../shared/schemas';
import { ConfidenceBadge } from './basis';
import { useStyles } from './styles';

export function StatCard({
  label,
  value,
  hint,
  scope,
  flag,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  /** What the figure covers: "All stores", "Store S001". */
  scope?: string;
  /** The answer's basis: a low or no-forecast one flags the card. */
  flag?: Pick<Basis, 'confidence' | 'reasons'> | null;
}) {
  const s = useStyles();
  return (
    <Card className={s.card} aria-label={label}>
      <Text size={200} className={s.muted}>
        {label}
        {flag && flag.confidence !== 'normal' ? (
          <>
            {' '}
            <ConfidenceBadge basis={flag} />
          </>
        ) : null}
      </Text>
      <div className={s.cardValue} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </div>
      {hint ? (
        <Text size={200} className={s.muted}>
          {hint}
        </Text>
      ) : null}
      {scope ? (
        <Text size={100} className={s.muted} aria-label="Scope">
          {scope}
        </Text>
      ) : null}
    </Card>
  );
}

const STATUS_BADGE: Record<BulkStockStatus, 'danger' | 'warning' | 'success' | 'informative' | 'subtle'> = {
  CRITICAL: 'danger',
  LOW: 'warning',
  ADEQUATE: 'success',
  EXCESS: 'informative',
  UNKNOWN: 'subtle',
};

export function StatusBadge({ status }: { status: BulkStockStatus }) {
  return (
    <Badge appearance="tint" color={STATUS_BADGE[status]}>
      {status}
    </Badge>
  );
}
