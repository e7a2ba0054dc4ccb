// How the pane shows numbers, money and percentages: the same words as the sheets (results/numbers.ts).
export { fmt, money, moneyOrUnknown, percent, wholeUnits } from '../results/numbers';
