// Figures at a glance: a labelled stat card and a stock status badge.
import { Badge, Card, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { BulkStockStatus } from '../../../shared/schemas';
import { useStyles } from './styles';

export function StatCard({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  const s = useStyles();
  return (
    <Card className={s.card} aria-label={label}>
      <Text size={200} className={s.muted}>
        {label}
      </Text>
      <div className={s.cardValue}>{value}</div>
      {hint ? (
        <Text size={200} className={s.muted}>
          {hint}
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
