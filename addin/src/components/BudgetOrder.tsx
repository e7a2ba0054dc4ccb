// "Order within a budget" under a store plan: a budget in money, then what to buy first (the units likeliest to sell
// at the best margin per money), what it spends and how many units it still leaves short, and the ranked list as a
// sheet. Takes callbacks; the page talks to the service.
import { Button, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { PurchasePlanResponse } from '../../../shared/schemas';
import { ErrorMessage, Loading, Notice } from './feedback';
import { fmt, money } from './format';
import { useAction } from './hooks';
import { useStyles } from './styles';

export function BudgetOrder({
  currency,
  fullCost,
  writeText,
  onPlan,
  onWrite,
}: {
  currency: string;
  /** What the plan's own orders cost, to suggest a budget against. */
  fullCost: number;
  writeText: string;
  onPlan: (budget: number) => Promise<PurchasePlanResponse>;
  onWrite: (plan: PurchasePlanResponse) => Promise<string>;
}) {
  const s = useStyles();
  const [text, setText] = useState('');
  const [plan, setPlan] = useState<PurchasePlanResponse | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const value = Number(text.trim().replace(',', '.'));
  const valid = text.trim() !== '' && Number.isFinite(value) && value >= 0;
  const ask = useAction(async () => {
    setPlan(null);
    setWritten(null);
    if (valid) setPlan(await onPlan(value));
  });
  const write = useAction(async () => {
    if (plan) setWritten(await onWrite(plan));
  });
  const bought = plan ? plan.orders.filter((o) => o.order_quantity > 0).length : 0;
  return (
    <div className={s.section} role="group" aria-label="Order within a budget">
      <Text weight="semibold">Order within a budget</Text>
      <div className={s.row}>
        <Field
          label={`Budget (${currency})`}
          hint={`The full plan costs ${money(fullCost, currency)}`}
          validationState={text === '' || valid ? 'none' : 'error'}
          validationMessage={text === '' || valid ? undefined : 'An amount, 0 or more'}
        >
          <Input value={text} onChange={(_, d) => setText(d.value)} aria-label={`Budget (${currency})`} />
        </Field>
        <Button onClick={() => void ask.run()} disabled={!valid || ask.busy}>
          Plan within budget
        </Button>
      </div>
      {ask.busy ? <Loading label="Ranking what to buy…" /> : null}
      <ErrorMessage error={ask.error} title="Could not plan within the budget" />
      {plan ? (
        <>
          <Text size={200}>
            Buy {fmt(plan.units, 0)} units of {bought} product{bought === 1 ? '' : 's'} for {money(plan.spend, plan.currency)}, the most
            useful first. Expected to run short by {fmt(plan.expected_units_short, 0)} units before the next delivery, against{' '}
            {fmt(plan.expected_units_short_unconstrained, 0)} with the full plan ({money(plan.unconstrained_spend, plan.currency)}).
          </Text>
          {plan.unranked.length ? (
            <Notice intent="warning">
              Not bought, no unit cost or price to rank them by: {plan.unranked.map((u) => u.product_id).join(', ')}. Set their costs
              (Settings or PUT /products) to include them.
            </Notice>
          ) : null}
          <div className={s.row}>
            <Button onClick={() => void write.run()} disabled={write.busy}>
              {writeText}
            </Button>
          </div>
          {written ? <Notice>{written}</Notice> : null}
          <ErrorMessage error={write.error} title="Could not write the purchase plan" />
        </>
      ) : null}
    </div>
  );
}
