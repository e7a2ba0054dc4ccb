// How far to trust an answer, as the pages show it: the basis line under a result, a warning when it is a rough
// estimate, a flag on a table row, what to do when there is too little history, and a closed "Advanced" area for
// the model's own terms (method codes, model versions, error figures).
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Basis } from '../../../shared/schemas';
import { describeError } from '../api/client';
import { basisLine } from '../results/basis';
import { useStyles } from './styles';

/** The basis line, and under it a warning with the reasons when the answer is a rough estimate or no forecast. */
export function BasisNote({ basis, label = 'Forecast basis' }: { basis: Basis; label?: string }) {
  const s = useStyles();
  return (
    <div className={s.section} role="group" aria-label={label}>
      <Text size={200}>{basisLine(basis)}</Text>
      {basis.confidence !== 'normal' ? (
        <MessageBar intent={basis.confidence === 'low' ? 'warning' : 'error'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{confidenceTitle(basis)}</MessageBarTitle>
            {basis.reasons.join(' ')}
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}

const confidenceTitle = (basis: Basis) =>
  basis.confidence === 'low' ? 'Low confidence: treat this as a rough estimate' : 'No forecast: too little history';

/** A table row's or a card's flag: nothing when the answer is normal; its reasons as the tooltip. */
export function ConfidenceBadge({ basis }: { basis: Pick<Basis, 'confidence' | 'reasons'> }) {
  if (basis.confidence === 'normal') return null;
  const low = basis.confidence === 'low';
  return (
    <Badge size="small" appearance="tint" color={low ? 'warning' : 'subtle'} title={basis.reasons.join(' ')}>
      {low ? 'low confidence' : 'no forecast'}
    </Badge>
  );
}

/** What the buyer can do about an error (ErrorMessage shows it by itself under the message); null when nothing. */
export const nextStep = (error: unknown): string | null => describeError(error).next;

/** A closed section for the model's own terms, out of the buyer's way. */
export function Advanced({ children }: { children: ReactNode }) {
  return (
    <Accordion collapsible>
      <AccordionItem value="advanced">
        <AccordionHeader size="small">Advanced</AccordionHeader>
        <AccordionPanel>
          <div style={{ fontSize: 12, display: 'flex', flexDirection: 'column', gap: 2 }}>{children}</div>
        </AccordionPanel>
      </AccordionItem>
    </Accordion>
  );
}
